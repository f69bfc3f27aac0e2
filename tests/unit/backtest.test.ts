/**
 * Issue 11: the backtester's rules, checked by hand; the same input, the
 * same report byte for byte; no lookahead.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { runBacktest } from "@/lib/backtest/engine";
import { Money } from "@/lib/money";
import { strategies } from "@/lib/strategies/registry";
import type { Candle, Strategy } from "@/lib/strategies/types";
import { walk } from "../helpers/candles";

const hour = 3_600_000;
const bar = (i: number, open: number, close: number): Candle => ({ time: i * hour, open: String(open), high: String(Math.max(open, close)), low: String(Math.min(open, close)), close: String(close), volume: "1" });

describe("issue 11: the backtester", () => {
  it("a hand-computed sma-cross run (fast 1, slow 2, fee 0.1 %, 1000 USDT) matches exactly", () => {
    // closes 10 9 11 12 8 9; opens 10 10 9 11 12 8
    const candles = [bar(0, 10, 10), bar(1, 10, 9), bar(2, 9, 11), bar(3, 11, 12), bar(4, 12, 8), bar(5, 8, 9)];
    const r = runBacktest({ strategy: "sma-cross", params: { fast: 1, slow: 2, timeframe: "1h", quoteFraction: "1" }, symbol: "DEMO/USDT", timeframe: "1h", candles, fee: "0.001", balance: "1000" });
    // i=2: fast 11 > slow (9+11)/2 = 10, and at i=1 fast 9 ≤ slow (10+9)/2 = 9.5 → cross up, flat → market buy of 1000 USDT
    // it fills at the open of candle 3, 11: base = 1000 × (1 − 0.001) / 11 = 999/11 = 90.8181…; fee 1000/11 × 0.001 base = 1 USDT at 11
    // i=4: fast 8 < slow (12+8)/2 = 10, and at i=3 fast 12 ≥ slow 11.5 → cross down, holding → sell 999/11
    // it fills at the open of candle 5, 8: quote = 999/11 × 8 × 0.999 = 7984.008/11 = 725.818909…; fee 999/11 × 8 × 0.001 = 0.726545…
    expect(r.fills.map((f) => [f.time / hour, f.side, f.price])).toEqual([[3, "buy", "11"], [5, "sell", "8"]]);
    expect(r.fills[0]!.quote).toBe("1000");
    expect(r.fills[0]!.amount.slice(0, 12)).toBe("90.909090909"); // gross 1000/11, the fee taken from it
    expect(r.summary).toEqual({
      startEquity: "1000",
      finalEquity: "725.81890909", // quote only: 7984.008/11
      returnPct: -27.418109, // 725.818909…/1000 − 1
      buyAndHoldReturnPct: -10, // 9/10 − 1
      maxDrawdownPct: 33.4, // peak at close 3: 999/11 × 12 = 11988/11; trough at close 5: 7984.008/11 → 4003.992/11988 = 0.334
      sharpe: null, // one day: one daily return, no deviation
      sortino: -19.104973, // r/|r| × √365
      winRate: 0,
      profitFactor: 0, // no winner, one loser
      exposurePct: 33.333333, // holding at the closes of candles 3 and 4 of 6
      fees: "1.72654545", // 1 + 7.992/11
      fills: 2,
      roundTrips: 1,
    });
    expect(r.roundTrips[0]).toMatchObject({ spent: "1000", pnl: expect.stringMatching(/^-274\.18109090909/) });
    expect(r.equity.map((e) => e.equity.slice(0, 10))).toEqual(["1000.00000", "1000.00000", "1000.00000", "1089.81818", "726.545454", "725.818909"]);
  });

  it("a market order signalled on the last candle never fills; a limit order fills at its price when a later range reaches it", () => {
    const candles = [bar(0, 10, 10), bar(1, 10, 9), bar(2, 9, 11)];
    const r = runBacktest({ strategy: "sma-cross", params: { fast: 1, slow: 2, timeframe: "1h" }, symbol: "DEMO/USDT", timeframe: "1h", candles });
    expect(r.fills).toEqual([]);
    const grid = runBacktest({ strategy: "grid", params: strategies.grid!.params.parse({ lower: "90", upper: "110", levels: 5, orderQuote: "100" }) as Record<string, unknown>, symbol: "DEMO/USDT", timeframe: "1h", candles: [bar(0, 100, 100), bar(1, 100, 96), { ...bar(2, 96, 99), low: "94" }] });
    for (const f of grid.fills) expect(f.type).toBe("limit");
    expect(grid.fills.some((f) => f.side === "buy" && Number(f.price) >= 94 && Number(f.price) <= 100)).toBe(true);
  });

  it("with a market's amount step and a fee in base, sma-cross goes on trading after a sell leaves dust, and round trips close", () => {
    // a buy yields q·(1−fee)/p base, not a step multiple; the sell rounds down to the step and the rest is dust
    const r = runBacktest({ strategy: "sma-cross", params: { fast: 5, slow: 20, timeframe: "1h" }, symbol: "DEMO/USDT", timeframe: "1h", candles: walk(3000, 7), fee: "0.001", market: { amountStep: "0.001", priceTick: "0.01", minNotional: "10" } });
    expect(r.refusals).toEqual([]);
    expect(r.summary.fills).toBeGreaterThan(100);
    expect(r.summary.roundTrips).toBe(Math.floor(r.summary.fills / 2));
    const sells = r.fills.filter((f) => f.side === "sell");
    expect(sells.every((f) => /^\d+(\.\d{1,3})?$/.test(f.amount))).toBe(true); // step multiples
    // after every sell what is left is dust: less than one step
    let position = new Money(0);
    for (const f of r.fills) {
      position = f.side === "buy" ? position.add(f.amount).sub(f.fee) : position.sub(f.amount);
      if (f.side === "sell") expect(position.lt("0.001"), `after the sell at ${f.time}`).toBe(true);
    }
  });

  it("a strategy that only buys closes no round trip, even when each buy is worth less than the market's minimum to sell", () => {
    const dca = strategies.dca!.params.parse({ quoteAmount: "10", intervalMinutes: 600 }) as Record<string, unknown>;
    for (const market of [null, { amountStep: "0.001", priceTick: "0.01", minNotional: "10" }]) {
      const r = runBacktest({ strategy: "dca", params: dca, symbol: "DEMO/USDT", timeframe: "1h", candles: walk(2000, 13), fee: "0.001", balance: "1000", market });
      expect(r.summary.fills).toBeGreaterThan(50);
      expect(r.summary.roundTrips).toBe(0);
    }
  });

  it("reports progress in order up to every candle, about every 1 %, whether the strategy runs at every close or only at its signals", () => {
    for (const everyCandle of [false, true]) {
      const seen: number[] = [];
      runBacktest({ strategy: "sma-cross", params: { fast: 5, slow: 20, timeframe: "1h" }, symbol: "DEMO/USDT", timeframe: "1h", candles: walk(2000, 3), everyCandle, onProgress: (done, total) => seen.push(done / total) });
      expect(seen.at(-1)).toBe(1);
      expect(seen.length).toBeGreaterThan(20);
      expect(seen.length).toBeLessThanOrEqual(101);
      expect(seen.every((f, k) => k === 0 || f > seen[k - 1]!)).toBe(true);
    }
  });

  it("a grid on a market with a price tick rests one order per level: its rounded prices hold their levels (it piled up to the open-order limit at one level)", () => {
    const candles = walk(1500, 17);
    const r = runBacktest({ strategy: "grid", params: { lower: "80", upper: "120", levels: 13, orderQuote: "20" }, symbol: "DEMO/USDT", timeframe: "1h", candles, balance: "1000", market: { amountStep: "0.001", priceTick: "0.01", minNotional: null } });
    expect(r.summary.fills).toBeGreaterThan(20);
    // levels 80, 83.33333333, 86.66666667, …: most rest rounded to the tick; one fill per side, level and candle (it was 12 at 96.66)
    const seen = new Map<string, number>();
    for (const f of r.fills) seen.set(`${f.time} ${f.side} ${f.price}`, (seen.get(`${f.time} ${f.side} ${f.price}`) ?? 0) + 1);
    expect(Math.max(...seen.values())).toBe(1);
  });

  it("the same input gives a byte-identical report", () => {
    const candles = walk(3000, 7);
    const run = () => JSON.stringify(runBacktest({ strategy: "sma-cross", params: { fast: 5, slow: 20, timeframe: "1h" }, symbol: "DEMO/USDT", timeframe: "1h", candles, fee: "0.001", slippageBps: 5 }));
    expect(run()).toBe(run());
  });

  it("no lookahead: the context holds only closed candles up to now, and later candles do not change earlier results", () => {
    const seen: { now: number; last: number; count: number }[] = [];
    const peek: Strategy = {
      id: "peek-test", version: 1, name: "peek", description: "", params: z.object({}),
      marketData: () => ({ timeframe: "1h", candles: 1_000_000 }),
      decide(ctx) {
        seen.push({ now: ctx.now, last: ctx.candles.at(-1)!.time, count: ctx.candles.length });
        return { intents: [] };
      },
    };
    strategies[peek.id] = peek;
    try {
      runBacktest({ strategy: "peek-test", params: {}, symbol: "DEMO/USDT", timeframe: "1h", candles: walk(50, 3) });
    } finally {
      delete strategies[peek.id];
    }
    seen.forEach((s, i) => expect(s).toEqual({ now: (i + 1) * hour, last: i * hour, count: i + 1 }));

    const a = walk(400, 11);
    const b = [...a.slice(0, 250), ...walk(150, 99).map((c, k) => ({ ...c, time: (250 + k) * hour }))];
    const run = (candles: Candle[]) => runBacktest({ strategy: "sma-cross", params: { fast: 3, slow: 8, timeframe: "1h" }, symbol: "DEMO/USDT", timeframe: "1h", candles });
    const [ra, rb] = [run(a), run(b)];
    const before = (r: ReturnType<typeof run>) => ({ fills: r.fills.filter((f) => f.time < 250 * hour), equity: r.equity.filter((e) => e.time <= 250 * hour) });
    expect(before(ra).fills.length).toBeGreaterThan(3);
    expect(before(rb)).toEqual(before(ra));
    expect(rb.fills).not.toEqual(ra.fills); // the later candles did change the rest
  });
});

describe("issue 11: replay's comparison of live and simulated fills", () => {
  const sim = (time: number, side: "buy" | "sell", price: string) => ({ orderId: "x", time, side, type: "market" as const, price, amount: "2", quote: "0", fee: "0", feeCurrency: "USDT", feeQuote: "0.1", reason: "signal" });
  it("pairs by side within the window, prices the slippage against the trader, and names what only one side did", async () => {
    const { compareFills } = await import("@/lib/backtest/replay");
    const live = [
      { time: 1000, side: "buy", price: "101", amount: "2", feeQuote: "0.3" }, // 1 dearer than simulated: cost 2
      { time: 5000, side: "sell", price: "109", amount: "2", feeQuote: "0.3" }, // 1 cheaper than simulated: cost 2
      { time: 9000, side: "buy", price: "100", amount: "1", feeQuote: "0.1" }, // nothing simulated near it
    ];
    const r = compareFills(live, [sim(1500, "buy", "100"), sim(5200, "sell", "110"), sim(20_000, "sell", "120")], 1000, 20_000);
    expect(r.totals).toEqual({ slippageQuote: "4.00000000", feeDifferenceQuote: "0.40000000", matched: 2, onlyLive: 1, onlySimulated: 1, later: 0 });
    expect(r.onlyLive.map((l) => l.time)).toEqual([9000]);
    expect(r.onlySimulated.map((s) => s.time)).toEqual([20_000]);
  });

  it("each live fill pairs with the nearest simulated one: a bot restarted mid-minute missed the signal before, not the last one", async () => {
    const { compareFills } = await import("@/lib/backtest/replay");
    const s = 1000;
    // simulated buys at every close from 60 s; live, back from a restart, buys at 128 s and every minute after
    const simulated = [60, 120, 180, 240, 300].map((t) => sim(t * s, "buy", "100"));
    const live = [128, 188, 249, 310].map((t) => ({ time: t * s, side: "buy", price: "100", amount: "2", feeQuote: "0.1" }));
    const r = compareFills(live, simulated, 120 * s, 300 * s);
    expect(r.matched.map((m) => [m.live.time / s, m.simulated.time / s])).toEqual([[128, 120], [188, 180], [249, 240], [310, 300]]);
    expect(r.onlySimulated.map((x) => x.time / s)).toEqual([60]); // the earliest in the window would have left 300 instead
  });

  it("a worker killed for two and a half minutes: the buys after the takeover pair with the signals they answered, and the one in the gap is left over", async () => {
    // recorded from a DCA bot (1 minute) on the demo with real worker processes: killed at 1:45, taken over at 4:17
    const { compareFills } = await import("@/lib/backtest/replay");
    const s = 1000;
    const simulated = [60, 120, 180, 240].map((t) => sim(t * s, "buy", "100")); // the closes 1:00 … 4:00 (the last candle replayed opens at 4:00)
    const live = [44, 105, 258, 318].map((t) => ({ time: t * s, side: "buy", price: "100", amount: "2", feeQuote: "0.1" }));
    const r = compareFills(live, simulated, 120 * s, 240 * s);
    expect(r.matched.map((m) => [m.live.time / s, m.simulated.time / s])).toEqual([[44, 60], [105, 120], [258, 240]]);
    // pairing for the most pairs would take 4:17 → 3:00 and 5:18 → 4:00, and hide the missed 3:00
    expect(r.onlySimulated.map((x) => x.time / s)).toEqual([180]);
    expect(r.later.map((l) => l.time / s)).toEqual([318]);
  });

  it("a live fill after the last replayed candle's open is not yet comparable: listed as later, not as a fill the backtest did not make, and its fee not counted", async () => {
    const { compareFills } = await import("@/lib/backtest/replay");
    const live = [
      { time: 1000, side: "buy", price: "101", amount: "2", feeQuote: "0.3" }, // paired with the simulated buy at 1500
      { time: 5500, side: "sell", price: "109", amount: "2", feeQuote: "0.3" }, // after 5000 but paired with the simulated sell at 5000: compared
      { time: 9000, side: "buy", price: "100", amount: "1", feeQuote: "0.1" }, // after 5000, nothing to pair with yet
    ];
    const r = compareFills(live, [sim(1500, "buy", "100"), sim(5000, "sell", "110")], 1000, 5000);
    expect(r.later.map((l) => l.time)).toEqual([9000]);
    expect(r.onlyLive).toEqual([]);
    expect(r.live).toEqual({ fills: 2, fees: "0.60000000" });
    // live fees 0.6 − simulated 0.2
    expect(r.totals).toEqual({ slippageQuote: "4.00000000", feeDifferenceQuote: "0.40000000", matched: 2, onlyLive: 0, onlySimulated: 0, later: 1 });
  });
});
