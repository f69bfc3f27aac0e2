/**
 * ccxt's unified structures carry numbers (parsed from the exchange's decimal
 * strings). These turn them back into decimal strings once, at the edge, so
 * nothing past this point computes with a float.
 */
import type { Order, Trade } from "ccxt";
import { Money } from "../money";

/** A ccxt number as a plain decimal string (its shortest exact representation), or null. */
export function num(v: unknown): string | null {
  if (v === undefined || v === null || v === "") return null;
  const n = typeof v === "string" ? Number(v) : (v as number);
  if (typeof n !== "number" || !Number.isFinite(n)) return null;
  return new Money(typeof v === "string" ? v : n).toFixed();
}

export interface ExchangeTrade {
  id: string;
  /** the exchange's order id */
  orderId: string | null;
  side: "buy" | "sell";
  price: string;
  amount: string;
  fee: string;
  feeCurrency: string | null;
  timestamp: number;
}

export interface ExchangeOrder {
  id: string;
  clientOrderId: string | null;
  symbol: string;
  status: string;
  side: "buy" | "sell";
  type: string;
  price: string | null;
  amount: string;
  filled: string;
  average: string | null;
  timestamp: number;
  /** fills reported with the order (Binance's FULL answer to a new order) */
  trades: ExchangeTrade[];
}

export function toTrade(t: Trade): ExchangeTrade {
  return {
    id: String(t.id),
    orderId: t.order ? String(t.order) : null,
    side: t.side === "sell" ? "sell" : "buy",
    price: num(t.price) ?? "0",
    amount: num(t.amount) ?? "0",
    fee: num(t.fee?.cost) ?? "0",
    feeCurrency: t.fee?.currency ?? null,
    timestamp: t.timestamp ?? Date.now(),
  };
}

export function toOrder(o: Order): ExchangeOrder {
  return {
    id: String(o.id),
    clientOrderId: o.clientOrderId ?? null,
    symbol: o.symbol ?? "",
    status: o.status ?? "open",
    side: o.side === "sell" ? "sell" : "buy",
    type: o.type ?? "limit",
    price: num(o.price),
    amount: num(o.amount) ?? "0",
    filled: num(o.filled) ?? "0",
    average: num(o.average),
    timestamp: o.timestamp ?? Date.now(),
    // fills inside an order answer carry no side of their own: they are the order's
    trades: (o.trades ?? []).filter((t) => t.id !== undefined).map((t) => ({ ...toTrade(t), orderId: String(o.id), side: o.side === "sell" ? "sell" : "buy", timestamp: t.timestamp ?? o.timestamp ?? Date.now() })),
  };
}
