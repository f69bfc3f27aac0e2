/**
 * Which credential fields an exchange needs, from ccxt's requiredCredentials
 * (apiKey + secret everywhere; a passphrase for okx, kucoin, bitget; a PEM
 * secret for coinbase). Used to build the add-key form and to validate input.
 */
import ccxt from "ccxt";
import { ccxtClass, demoExchangeId } from "./ccxt-factory";

export interface CredentialField {
  name: "apiKey" | "secret" | "password" | "uid";
  label: string;
  multiline: boolean;
}

const labels: Record<CredentialField["name"], string> = { apiKey: "API key", secret: "API secret", password: "Passphrase", uid: "User id" };

export function credentialFields(exchangeId: string): CredentialField[] {
  const id = exchangeId === demoExchangeId ? "binance" : exchangeId;
  const required = new (ccxtClass(exchangeId))().requiredCredentials as Record<string, boolean>;
  return (["apiKey", "secret", "password", "uid"] as const)
    .filter((name) => required[name])
    .map((name) => ({
      name,
      label: id === "coinbase" && name === "apiKey" ? "API key name (organizations/…/apiKeys/…)" : id === "coinbase" && name === "secret" ? "Private key (PEM)" : labels[name],
      multiline: id === "coinbase" && name === "secret",
    }));
}

/** Every exchange the picker offers: ccxt's list plus the demo exchange. */
export function supportedExchanges(): { id: string; name: string }[] {
  return [{ id: demoExchangeId, name: "Demo (Binance API)" }, ...(ccxt.exchanges as string[]).map((id) => ({ id, name: id }))];
}
