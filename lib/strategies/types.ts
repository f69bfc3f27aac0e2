/**
 * The strategy contract, version 1. A strategy is pure: given a context it
 * returns intents. No I/O, no clock (use ctx.now), no ccxt, no database, no
 * credentials (lint-enforced). The same strategy runs live, on paper and in
 * the backtester. Amounts and prices are decimal strings.
 */
import type { z } from "zod";

export interface Candle {
  time: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

export interface StrategyContext<P> {
  params: P;
  symbol: string;
  now: number;
  lastPrice: string;
  candles: Candle[];
  /** base amount held by this bot */
  position: string;
  openOrders: { id: string; side: "buy" | "sell"; price: string | null; amount: string }[];
  balances: Record<string, string>;
  /** per-bot memory the runner persists between ticks */
  state: Record<string, unknown>;
}

export type Intent =
  | { kind: "place"; side: "buy" | "sell"; type: "market" | "limit"; amount?: string; quoteAmount?: string; price?: string; reason: string }
  | { kind: "cancel"; orderId: string; reason: string };

export interface StrategyResult {
  intents: Intent[];
  state?: Record<string, unknown>;
}

export interface Strategy<S extends z.ZodType = z.ZodType> {
  id: string;
  version: 1;
  name: string;
  description: string;
  params: S;
  decide(ctx: StrategyContext<z.output<S>>): StrategyResult;
}
