/**
 * What to do about an exchange error, by ccxt error class (EXCHANGES.md §5):
 *  - retryable       network trouble: retry with backoff (InvalidNonce: resync the clock first)
 *  - unknownOutcome  an order request timed out or the exchange was unreachable: the order may
 *                    exist — look it up by clientOrderId before ever resending
 *  - authRejected    the key is wrong, revoked, lacks permission or the IP is not allowed: stop
 *                    the bot and flag the key
 *  - orderRejected   insufficient funds, invalid order, bad symbol: record it, do not loop
 *  - unknown         anything else: stop and report
 */
import ccxt from "ccxt";

export type ErrorClass = "retryable" | "unknownOutcome" | "authRejected" | "orderRejected" | "unknown";

export function classifyError(err: unknown, opts: { placingOrder?: boolean } = {}): ErrorClass {
  if (err instanceof ccxt.AuthenticationError || err instanceof ccxt.AccountSuspended) return "authRejected";
  // A network failure while placing an order may have happened after the exchange took it.
  // Refusals that come before execution (rate limit, clock) are certain not to have placed anything.
  const refusedBeforeExecution = err instanceof ccxt.DDoSProtection || err instanceof ccxt.RateLimitExceeded || err instanceof ccxt.InvalidNonce;
  if (opts.placingOrder && err instanceof ccxt.NetworkError && !refusedBeforeExecution) return "unknownOutcome";
  if (err instanceof ccxt.NetworkError) return "retryable";
  if (err instanceof ccxt.InsufficientFunds || err instanceof ccxt.InvalidOrder || err instanceof ccxt.BadSymbol || err instanceof ccxt.BadRequest || err instanceof ccxt.OperationRejected) return "orderRejected";
  return "unknown";
}

/** An order the exchange refused because the account could not pay for it (an orderRejected). */
export const refusedForFunds = (err: unknown): boolean => err instanceof ccxt.InsufficientFunds;

/**
 * A message safe to show and log: ccxt's RequestTimeout and ExchangeNotAvailable
 * messages embed the full URL, signature included. Strip query strings, bodies
 * and anything that looks like a key or signature.
 */
export function safeErrorMessage(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  return raw
    .replace(/https?:\/\/[^\s"']+/g, (u) => u.split("?")[0]!)
    .replace(/(signature|apiKey|api_key|secret|passphrase|password|timestamp)=[^&\s"']*/gi, "$1=[redacted]")
    .replace(/\b[A-Za-z0-9]{40,}\b/g, "[redacted]")
    .slice(0, 500);
}
