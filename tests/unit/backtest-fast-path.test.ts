/**
 * Issue 11's speed: the backtester skips the decimal work at closes where
 * nothing can happen. These tests prove the shortcut changes nothing — the
 * report is byte-identical to calling the strategy at every close, the float
 * screen of crosses equals the decimal rule at every close (ties included),
 * and the drawdowns found with floats equal a decimal loop over every close.
 */
import { describe, expect, it } from "vitest";
import { runBacktest } from "@/lib/backtest/engine";
import { EquitySeries } from "@/lib/backtest/equity";
import { Money, zero } from "@/lib/money";
import { crossAt, scanCrosses } from "@/lib/strategies/sma-cross";
import type { Candle } from "@/lib/strategies/types";
import { walk } from "../helpers/candles";

const hour = 3_600_000;

/** Closes that sit exactly on ties of the averages: flat stretches and repeating patterns. */
function ties(n: number): Candle[] {
  const pattern = ["100", "100", "100", "101", "99", "100", "100.5", "99.5", "100", "100"];
  return Array.from({ length: n }, (_, i) => {
    const close = i % 97 < 40 ? "100" : pattern[i % pattern.length]!;
    return { time: i * hour, open: close, high: close, low: close, close, volume: "1" };
  });
}

const closesOf = (candles: Candle[]) => Float64Array.from(candles, (c) => Number(c.close));

describe("issue 11: the backtester's fast path changes nothing", () => {
  it("the float screen of crosses equals crossAt in decimals at every close, ties included", () => {
    for (const [candles, fast, slow] of [[walk(4000, 3), 5, 20], [walk(4000, 11), 10, 30], [ties(3000), 2, 5], [ties(3000), 3, 10], [walk(600, 5), 1, 2]] as const) {
      const decimals = candles.map((c) => new Money(c.close));
      const expected = new Map<number, string>();
      for (let i = 0; i < candles.length; i++) {
        const cross = crossAt(decimals, i, fast, slow);
        if (cross) expected.set(i, cross);
      }
      expect(expected.size).toBeGreaterThan(5);
      expect(scanCrosses(candles, closesOf(candles), fast, slow)).toEqual(expected);
    }
  });

  it("reports are byte-identical with and without the shortcut (fees, slippage, market rules, warm-up, risk limits)", () => {
    const cases = [
      { candles: walk(5000, 7), params: { fast: 5, slow: 20, timeframe: "1h" }, fee: "0.001", slippageBps: 5 },
      { candles: walk(5000, 21), params: { fast: 10, slow: 30, timeframe: "1h", quoteFraction: "0.5" }, fee: "0", market: { amountStep: "0.001", priceTick: "0.01", minNotional: "10" } },
      { candles: ties(4000), params: { fast: 2, slow: 5, timeframe: "1h" }, fee: "0.002", tradeFrom: 500 * hour },
      { candles: walk(3000, 9), params: { fast: 3, slow: 12, timeframe: "1h" }, fee: "0.001", limits: { maxDailyLoss: "50" } },
    ];
    for (const c of cases) {
      const input = { strategy: "sma-cross", symbol: "DEMO/USDT", timeframe: "1h" as const, balance: "1000", ...c };
      const fast = runBacktest(input);
      const reference = runBacktest({ ...input, everyCandle: true });
      expect(fast.summary.fills).toBeGreaterThan(0);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(reference));
    }
  });

  it("drawdowns from the float screen equal a decimal loop over every close", () => {
    let seed = 5;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let round = 0; round < 20; round++) {
      const candles = round % 4 === 0 ? ties(800) : walk(800, 100 + round);
      const series = new EquitySeries(candles, closesOf(candles));
      const start = new Money(1000);
      series.set(0, start, zero);
      // positions of random sizes between random fills, some flat
      for (let from = 1 + Math.floor(rnd() * 50); from < candles.length; from += 1 + Math.floor(rnd() * 80)) {
        const base = rnd() < 0.3 ? zero : new Money(rnd().toFixed(8)).mul(10);
        series.set(from, new Money((rnd() * 1000).toFixed(6)), base);
      }
      const at = [0, 17, 100, 399, 400, 799];
      const got = series.drawdowns(start, at);
      // the loop the engine ran before the shortcut
      let peak = start;
      let max = zero;
      const expectedAt: Money[] = [];
      for (let i = 0; i < candles.length; i++) {
        const e = series.exact(i);
        if (e.gt(peak)) peak = e;
        const dd = peak.gt(0) ? peak.sub(e).div(peak) : zero;
        if (dd.gt(max)) max = dd;
        if (at.includes(i)) expectedAt.push(dd);
      }
      expect(got.max.toFixed()).toBe(max.toFixed());
      expect(got.at.map((d) => d.toFixed())).toEqual(expectedAt.map((d) => d.toFixed()));
    }
  });
});
