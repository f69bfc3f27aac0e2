import { describe, expect, it } from "vitest";
import { onePerAccount, type AccountBalances } from "@/lib/bot-settings/balances";

const snap = (botId: string, over: Partial<AccountBalances>): AccountBalances => ({
  botId, keyId: `key-${botId}`, keyLabel: null, exchange: "binance", exchangeAccount: null, paper: false, takenAt: "2026-12-06T10:00:00.000Z", balances: [{ currency: "USDT", free: "100", used: "0", total: "100" }], ...over,
});

describe("onePerAccount: an exchange account's balances once, however many bots' keys it has", () => {
  it("keys naming one account on one exchange count once, with the latest snapshot; the same uid on another exchange is another account", () => {
    const { accounts, unknownAccounts } = onePerAccount([
      snap("a", { exchangeAccount: "42", takenAt: "2026-12-06T10:00:00.000Z" }),
      snap("b", { exchangeAccount: "42", takenAt: "2026-12-06T10:00:05.000Z" }),
      snap("c", { exchangeAccount: "42", takenAt: "2026-12-06T10:00:01.000Z" }),
      snap("d", { exchangeAccount: "42", exchange: "okx" }),
    ]);
    expect(accounts.map((x) => x.botId)).toEqual(["b", "d"]);
    expect(unknownAccounts).toBe(0);
  });

  it("a key whose exchange names no account is an account of its own, and counted as unknown; each paper bot is its own account", () => {
    const { accounts, unknownAccounts } = onePerAccount([
      snap("a", { exchange: "kraken" }),
      snap("b", { exchange: "kraken" }),
      snap("p1", { paper: true, keyId: "key-a" }),
      snap("p2", { paper: true, keyId: "key-a" }),
    ]);
    expect(accounts.map((x) => x.botId)).toEqual(["a", "b", "p1", "p2"]);
    expect(unknownAccounts).toBe(2);
  });
});
