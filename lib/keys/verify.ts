/**
 * Verifying a key at entry: one read call, then scope detection, each failure
 * named with what to do. Runs in the web process with the plaintext held only
 * in memory for this call (DESIGN.md "Processes").
 */
import "server-only";
import ccxt from "ccxt";
import { UnsupportedExchangeError, type Credentials } from "../exchange/ccxt-factory";
import { safeErrorMessage } from "../exchange/errors";
import { openExchange } from "../exchange/open";
import { detectScopes, hasPermissionEndpoint, type DeclaredScopes, type KeyScopes } from "../exchange/scopes";

export class KeyVerificationError extends Error {
  override name = "KeyVerificationError";
}

export function explain(err: unknown, exchange: string): string {
  if (err instanceof ccxt.InvalidNonce) return `The exchange says this server's clock is off. Sync the clock (NTP) and try again.`;
  if (err instanceof ccxt.AuthenticationError || err instanceof ccxt.PermissionDenied || err instanceof ccxt.AccountSuspended) {
    return `The exchange rejected the key: the key or secret is wrong, the key was deleted or lacks read permission, or this server's IP address is not on the key's whitelist. Check the key on ${exchange} and try again.`;
  }
  if (err instanceof ccxt.RequestTimeout || err instanceof ccxt.ExchangeNotAvailable || err instanceof ccxt.NetworkError) {
    return `${exchange} could not be reached (${err.constructor.name}). Try again in a moment; nothing was stored.`;
  }
  return `${exchange} refused the check: ${safeErrorMessage(err)}`;
}

export async function verifyKey(exchange: string, credentials: Credentials, demoUrl: string | undefined, declared?: DeclaredScopes): Promise<KeyScopes> {
  let ex;
  try {
    ex = await openExchange({ exchange, credentials, demoUrl, timeoutMs: 10_000 });
  } catch (err) {
    throw new KeyVerificationError(err instanceof UnsupportedExchangeError ? err.message : explain(err, exchange));
  }
  try {
    await ex.fetchBalance();
    if (!hasPermissionEndpoint(exchange) && !declared) {
      throw new KeyVerificationError(`${exchange} cannot report a key's permissions. Declare them (read, trade, withdraw, IP restriction) to add this key.`);
    }
    return await detectScopes(ex, exchange, credentials.apiKey, declared);
  } catch (err) {
    if (err instanceof KeyVerificationError) throw err;
    throw new KeyVerificationError(explain(err, exchange));
  }
}
