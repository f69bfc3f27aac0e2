/**
 * The strategy contract, version 1. A strategy is pure: given a context it
 * returns intents. No I/O, no clock (use ctx.now), no ccxt, no database, no
 * credentials (lint-enforced). The same strategy runs live, on paper and in
 * the backtester. Amounts and prices are decimal strings.
 *
 * Intents are wishes, not orders: the runner rounds them to the market's
 * precision, risk limits may refuse them, and only then does an order exist.
 */
import { z } from "zod";

export interface Candle {
  /** open time, ms */
  time: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
}

/** A market's order rules (null: none known): amounts are rounded down to the step, limit prices to the tick (buys down, sells up); smaller orders are refused. */
export interface MarketView {
  amountStep: string | null;
  priceTick: string | null;
  minAmount: string | null;
  minNotional: string | null;
}

export interface OpenOrderView {
  /** the client order id: what a cancel intent names */
  id: string;
  side: "buy" | "sell";
  type: "market" | "limit";
  price: string | null;
  amount: string;
  filled: string;
}

export interface StrategyContext<P> {
  params: P;
  symbol: string;
  base: string;
  quote: string;
  now: number;
  lastPrice: string;
  bid: string | null;
  ask: string | null;
  /** closed candles of `marketData(params).timeframe`, oldest first (empty when the strategy asks for none) */
  candles: Candle[];
  /** base amount held by this bot */
  position: string;
  /** the bot's orders that are pending or resting */
  openOrders: OpenOrderView[];
  /** free balances of the account (or the paper account) */
  balances: Record<string, string>;
  /** a few of the bot's risk limits, so a strategy can plan within them (they are enforced anyway) */
  limits: { maxOpenOrders: number; maxOrderNotional: string };
  /** the market's order rules as the runner applies them (./market.ts tells what of a position can be sold) */
  market: MarketView;
  /** per-bot memory the runner persists between ticks */
  state: Record<string, unknown>;
  /** backtests only: what the strategy's own `scan` computed for this close (never set live) */
  precomputed?: unknown;
}

const decimal = z.string().regex(/^\d{1,20}(\.\d{1,20})?$/, "a plain decimal string");

/** What a strategy may ask for. Anything else is refused (and recorded) by the runner. */
export const intentSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("place"),
    side: z.enum(["buy", "sell"]),
    type: z.enum(["market", "limit"]),
    /** base amount; or quoteAmount, converted at the order's price */
    amount: decimal.optional(),
    quoteAmount: decimal.optional(),
    price: decimal.optional(),
    /** defaults to the bot's symbol (risk limits refuse any other that is not allowed) */
    symbol: z.string().max(40).optional(),
    reason: z.string().max(200),
  }),
  z.object({ kind: z.literal("cancel"), orderId: z.string().max(64), reason: z.string().max(200) }),
]);

export type Intent = z.infer<typeof intentSchema>;

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
  /** the parameter fixing the size of each of its orders in the quote currency, and their type, when there is one (the bot form checks it against the risk limits and the market's minimum) */
  orderSize?: { param: keyof z.output<S> & string; type: "market" | "limit" };
  /** the candles the strategy needs, if any */
  marketData?(params: z.output<S>): { timeframe: string; candles: number };
  decide(ctx: StrategyContext<z.output<S>>): StrategyResult;
  /**
   * Backtests only, optional: one pass over all candles naming the closes where decide may act, each with
   * what decide would compute there from the candles up to it (handed back as ctx.precomputed). The
   * backtester then calls decide only at those closes and while orders are open; at every other close,
   * with no open order, decide must return no intents (and its state must not matter). The values must be
   * exactly decide's own: a float screen falls back to the decimal rule wherever floats are not decisive
   * (tests/unit/backtest.test.ts runs both ways and compares the reports byte for byte).
   */
  scan?(candles: readonly Candle[], closes: Float64Array, params: z.output<S>): Map<number, unknown>;
}
