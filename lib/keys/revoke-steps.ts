/** Where to delete a key on the exchange itself, after revoking it here. */
const where: Record<string, string> = {
  demo: "Demo exchange: DELETE /_demo/keys/<apiKey> on the demo exchange's admin API (loopback only).",
  binance: "Binance: Profile → API Management → find the key → Delete.",
  okx: "OKX: Profile → API → find the key → Delete.",
  bybit: "Bybit: Account → API → find the key → Delete.",
  coinbase: "Coinbase: Settings → API (Developer Platform → API keys) → find the key → Delete.",
  kraken: "Kraken: Settings → API → find the key → Delete key.",
  kucoin: "KuCoin: Account → API Management → find the key → Delete.",
  bitget: "Bitget: Profile → API Key Management → find the key → Delete.",
  gate: "Gate: Account → API Management → find the key → Delete.",
  bitfinex: "Bitfinex: Account → API Keys → find the key → Revoke.",
  htx: "HTX: Account → API Management → find the key → Delete.",
};

export function revokeSteps(exchange: string): string[] {
  return [
    where[exchange] ?? `${exchange}: open the exchange's API key management page and delete the key.`,
    "Revoking here destroyed Keyward's copy only. Until you delete it on the exchange, the key itself still works for anyone who has it.",
  ];
}

/** The "this key may be compromised" checklist. */
export const compromisedChecklist = [
  "Delete the key on the exchange now (see above) — revoking in Keyward does not disable it there.",
  "Create a new key with read and trade permission only (no withdraw), restricted to this server's IP address, and add it to the bot (Rotate).",
  "Check the account's recent orders, trades, withdrawals and transfers on the exchange for anything you did not do.",
  "Change the exchange account's password and second factor if you suspect more than the key leaked.",
];
