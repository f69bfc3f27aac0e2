/**
 * Client order ids: deterministic, naming their bot, valid on every exchange.
 *
 *   kw + 8 hex digits of SHA-256(bot id) + the bot's sequence number   e.g. kw3fa9c01b17
 *
 * Letters and digits only, at most 24 characters: within Binance's
 * [.A-Za-z0-9:/_-]{1,36}, OKX's alphanumeric ≤ 32, Bybit's ≤ 36, KuCoin's ≤ 40.
 * Gate wants its "text" to start with "t-". An order on the bot's key whose id
 * lacks the bot's prefix was placed by something else (another program).
 */
import { createHash } from "node:crypto";

export function clientOrderPrefix(botId: string): string {
  return `kw${createHash("sha256").update(botId).digest("hex").slice(0, 8)}`;
}

export function clientOrderId(exchange: string, botId: string, seq: number): string {
  const id = `${clientOrderPrefix(botId)}${seq}`;
  return exchange === "gate" ? `t-${id}` : id;
}

export function placedByBot(clientOrderIdAtExchange: string | undefined, botId: string): boolean {
  return !!clientOrderIdAtExchange && clientOrderIdAtExchange.replace(/^t-/, "").startsWith(clientOrderPrefix(botId));
}

/**
 * ccxt's createOrder params that carry our id. Most exchanges take the unified
 * `clientOrderId`; coinbase and cryptocom drop it and need their own name (EXCHANGES.md §3).
 */
export function clientOrderIdParams(exchange: string, id: string): Record<string, string> {
  if (exchange === "coinbase") return { client_order_id: id };
  if (exchange === "cryptocom") return { client_oid: id };
  return { clientOrderId: id };
}
