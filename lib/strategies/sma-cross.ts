/**
 * SMA cross. At the close of candle i where both averages exist for i and i−1:
 *  - a cross up (fast ≤ slow at i−1, fast > slow at i) while flat buys at market
 *    with `quoteFraction` of the free quote balance, at most what the bot's
 *    max order notional lets a market buy name (a larger one would be refused);
 *  - a cross down (fast ≥ slow at i−1, fast < slow at i) while holding sells the
 *    whole position at market.
 * Holding means holding something the market lets it sell (./market.ts): dust
 * left under the amount step or the minimum notional counts as flat.
 * Acts once per closed candle; the candle still forming is never read.
 */
import { z } from "zod";
import { Money, str } from "../money";
import { wholeNumber } from "../validation/common";
import { marketBuyQuoteWithin, sellableAmount } from "./market";
import type { Candle, Strategy } from "./types";

const timeframes = ["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "1d"] as const;

export const smaCrossParams = z
  .object({
    fast: wholeNumber("Fast period", 1, 500).describe("Candles in the fast average").default(10),
    slow: wholeNumber("Slow period", 2, 1000).describe("Candles in the slow average").default(30),
    timeframe: z.enum(timeframes, { error: `Use one of ${timeframes.join(", ")}.` }).describe("Candle length").default("1h"),
    quoteFraction: z
      .string()
      .trim()
      .regex(/^(0(\.\d{1,8})?|1(\.0{1,8})?)$/, "A fraction from 0 to 1, e.g. 0.5.")
      .refine((v) => new Money(v).gt(0), "Must be more than 0.")
      .describe("Share of the free quote balance spent on a buy (0–1)")
      .default("1"),
  })
  .refine((p) => p.fast < p.slow, { path: ["fast"], message: "The fast period must be shorter than the slow one." });

/** The simple moving average of `period` closes ending at index i, or null before it exists. */
export function sma(closes: Money[], i: number, period: number): Money | null {
  if (i + 1 < period) return null;
  let total = new Money(0);
  for (let k = i - period + 1; k <= i; k++) total = total.add(closes[k]!);
  return total.div(period);
}

export type Cross = "up" | "down" | null;

/** The cross at the close of candle i (the rules above), or null. */
export function crossAt(closes: Money[], i: number, fast: number, slow: number): Cross {
  const f0 = sma(closes, i - 1, fast);
  const s0 = sma(closes, i - 1, slow);
  const f1 = sma(closes, i, fast);
  const s1 = sma(closes, i, slow);
  if (!f0 || !s0 || !f1 || !s1) return null;
  if (f0.lte(s0) && f1.gt(s1)) return "up";
  if (f0.gte(s0) && f1.lt(s1)) return "down";
  return null;
}

/**
 * The crosses of a whole series, for backtests: the averages in floats (rolling sums, summed afresh every
 * 256 closes so rounding stays below 1e-12 of them), and `crossAt` in decimals wherever a difference of
 * averages is within 1e-9 of their size — so the result is exactly `crossAt` at every close.
 */
export function scanCrosses(candles: readonly Candle[], closes: Float64Array, fast: number, slow: number): Map<number, Cross> {
  const out = new Map<number, Cross>();
  const sumOf = (end: number, period: number) => {
    let t = 0;
    for (let k = Math.max(0, end - period + 1); k <= end; k++) t += closes[k]!;
    return t;
  };
  let sf = 0;
  let ss = 0;
  let prevDiff = NaN;
  let prevScale = NaN;
  for (let i = 0; i < closes.length; i++) {
    if (i % 256 === 0) {
      sf = sumOf(i, fast);
      ss = sumOf(i, slow);
    } else {
      sf += closes[i]! - (i >= fast ? closes[i - fast]! : 0);
      ss += closes[i]! - (i >= slow ? closes[i - slow]! : 0);
    }
    if (i + 1 < slow) continue;
    const f = sf / fast;
    const s = ss / slow;
    const diff = f - s;
    const scale = Math.max(Math.abs(f), Math.abs(s));
    if (i >= slow) {
      const eps = 1e-9 * Math.max(scale, prevScale);
      let cross: Cross;
      if (Math.abs(diff) > eps && Math.abs(prevDiff) > eps) cross = prevDiff < 0 && diff > 0 ? "up" : prevDiff > 0 && diff < 0 ? "down" : null;
      else cross = crossAt(candles.slice(i - slow, i + 1).map((c) => new Money(c.close)), slow, fast, slow); // not decisive (or not a number): decimals decide
      if (cross) out.set(i, cross);
    }
    prevDiff = diff;
    prevScale = scale;
  }
  return out;
}

export const smaCross: Strategy<typeof smaCrossParams> = {
  id: "sma-cross",
  version: 1,
  name: "SMA cross",
  description: "Buys at market when the fast moving average crosses above the slow one while flat; sells the position when it crosses below.",
  params: smaCrossParams,
  marketData: (p) => ({ timeframe: p.timeframe, candles: p.slow + 1 }),
  scan: (candles, closes, p) => scanCrosses(candles, closes, p.fast, p.slow),
  decide(ctx) {
    const candles: Candle[] = ctx.candles;
    const last = candles.at(-1);
    if (!last || ctx.state.lastCandle === last.time) return { intents: [], state: ctx.state };
    const state = { ...ctx.state, lastCandle: last.time };
    const cross = ctx.precomputed !== undefined ? (ctx.precomputed as Cross) : crossAt(candles.map((c) => new Money(c.close)), candles.length - 1, ctx.params.fast, ctx.params.slow);
    const sellable = sellableAmount(ctx.position, ctx.lastPrice, ctx.market);
    const holding = sellable.gt(0);
    const working = ctx.openOrders.length > 0;
    if (cross === "up" && !holding && !working) {
      const share = new Money(ctx.balances[ctx.quote] ?? "0").mul(ctx.params.quoteFraction).toDecimalPlaces(8, Money.ROUND_DOWN);
      const quote = Money.min(share, marketBuyQuoteWithin(ctx.limits.maxOrderNotional, ctx.lastPrice, ctx.ask));
      if (quote.gt(0)) return { intents: [{ kind: "place", side: "buy", type: "market", quoteAmount: str(quote), reason: `SMA ${ctx.params.fast} crossed above SMA ${ctx.params.slow}` }], state };
    }
    if (cross === "down" && holding && !working) {
      return { intents: [{ kind: "place", side: "sell", type: "market", amount: str(sellable), reason: `SMA ${ctx.params.fast} crossed below SMA ${ctx.params.slow}` }], state };
    }
    return { intents: [], state };
  },
};
