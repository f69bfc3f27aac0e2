/**
 * `npm run bench -- backtest [--candles 1000000] [--fast 10] [--slow 30]`
 *
 * Issue 11's benchmark: sma-cross over N one-minute candles (a seeded random
 * walk, weakly pulled back to 1,000 so it stays in range without being so
 * mean-reverting that the trend-follower loses the account: with no fee the
 * engine then acts on every signal) through the full engine — strategy, risk
 * limits, simulated fills, equity — against a bare typed-array loop computing
 * the same cross signals (rolling sums over a Float64Array), in the same run.
 * Each is timed `--runs` times and the fastest run counts (a single cold run of
 * the 40 ms bare loop varied 5× between runs). Prints candles per second for
 * both, their ratio, and both signal counts. Also runs the engine
 * with the strategy never acting (what the candles cost without orders: the
 * rest of the full run's time goes to the decimal work of each signal and
 * fill), and the reference path (the strategy called at every close, no scan
 * shortcut) over the first `--reference` candles, for the shortcut's gain, and
 * grid (a strategy without a scan, orders resting at every close) over the same.
 * Last, a sweep's cost beside its runs': 12 sma-cross runs over a month of
 * 5-minute candles through worker threads as the worker's jobs run them, one
 * long-lived thread for all of them against a thread started for each run.
 */
import { parseArgs } from "node:util";
import { runBacktest } from "@/lib/backtest/engine";
import { runInThread, ThreadLane } from "@/lib/backtest/in-thread";
import { strategies } from "@/lib/strategies/registry";
import type { Candle } from "@/lib/strategies/types";

const { values } = parseArgs({ args: process.argv.slice(3), options: { candles: { type: "string", default: "1000000" }, fast: { type: "string", default: "10" }, slow: { type: "string", default: "30" }, reference: { type: "string", default: "100000" }, runs: { type: "string", default: "3" } } });
const n = Number(values.candles);
const fast = Number(values.fast);
const slow = Number(values.slow);
const runs = Math.max(1, Number(values.runs));

const candles: Candle[] = new Array<Candle>(n);
const closes = new Float64Array(n);
let seed = 7;
const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
let p = 1000;
for (let i = 0; i < n; i++) {
  const o = p;
  p = Math.max(1, p * (1 + (rnd() - 0.5) * 0.002 + (1000 - p) * 0.000001)); // a walk weakly pulled back to 1,000
  const c = Math.round(p * 100) / 100;
  closes[i] = c;
  candles[i] = { time: 1_700_000_000_000 + i * 60_000, open: String(Math.round(o * 100) / 100), high: String(Math.round(Math.max(o, c) * 100.5) / 100), low: String(Math.round(Math.min(o, c) * 99.5) / 100), close: String(c), volume: "1" };
  p = c;
}

/** The same rules on floats: crosses of rolling means, a buy when flat, a sell when holding. */
function bareLoop(): number {
  let sf = 0;
  let ss = 0;
  let prevF = NaN;
  let prevS = NaN;
  let holding = false;
  let signals = 0;
  for (let i = 0; i < n; i++) {
    sf += closes[i]!;
    ss += closes[i]!;
    if (i >= fast) sf -= closes[i - fast]!;
    if (i >= slow) ss -= closes[i - slow]!;
    if (i + 1 >= slow) {
      const f = sf / fast;
      const s = ss / slow;
      if (!Number.isNaN(prevS)) {
        if ((prevF <= prevS && f > s && !holding) || (prevF >= prevS && f < s && holding)) {
          holding = !holding;
          signals++;
        }
      }
      prevF = f;
      prevS = s;
    }
  }
  return signals;
}

/** The fastest of `runs` timings of f, and its last result. */
function fastest<T>(f: () => T): { ms: number; result: T } {
  let best = Infinity;
  let result!: T;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    result = f();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, result };
}

const bare = fastest(bareLoop);
// no fee: the account never runs dry, so the engine acts on every signal the bare loop counts
const engine = fastest(() => runBacktest({ strategy: "sma-cross", params: { fast, slow, timeframe: "1m" }, symbol: "DEMO/USDT", timeframe: "1m", candles, fee: "0" }));
const report = engine.result;
const engineMs = engine.ms;
// the same run with the strategy never acting (trading starts after the last candle): what the candles cost without any order or fill
const idle = fastest(() => runBacktest({ strategy: "sma-cross", params: { fast, slow, timeframe: "1m" }, symbol: "DEMO/USDT", timeframe: "1m", candles, fee: "0", tradeFrom: Infinity }));
const idleRate = n / (idle.ms / 1000);
const refN = Math.min(n, Number(values.reference));
const t1 = performance.now();
runBacktest({ strategy: "sma-cross", params: { fast, slow, timeframe: "1m" }, symbol: "DEMO/USDT", timeframe: "1m", candles: candles.slice(0, refN), fee: "0", everyCandle: true });
const refRate = refN / ((performance.now() - t1) / 1000);
// a strategy with no one-pass scan, resting orders at every close: grid, 11 levels over the same candles' range
const gridCandles = candles.slice(0, refN);
const lows = gridCandles.map((c) => Number(c.low));
const highs = gridCandles.map((c) => Number(c.high));
const gridParams = strategies.grid!.params.parse({ lower: String(Math.floor(Math.min(...lows))), upper: String(Math.ceil(Math.max(...highs))), levels: 11, orderQuote: "100" }) as Record<string, unknown>;
const gridRun = fastest(() => runBacktest({ strategy: "grid", params: gridParams, symbol: "DEMO/USDT", timeframe: "1m", candles: gridCandles }));
const gridRate = refN / (gridRun.ms / 1000);
// a sweep through threads: 12 runs over 8,640 candles (a month of 5-minute ones), in one lane and with a thread per run
const sweepInput = { strategy: "sma-cross", params: {}, symbol: "DEMO/USDT", timeframe: "5m" as const, candles: candles.slice(0, 8640), fee: "0" };
const combos = [5, 10, 20].flatMap((f) => [30, 50, 80, 120].map((s) => ({ fast: f, slow: s, timeframe: "5m" })));
let t2 = performance.now();
const lane = new ThreadLane(sweepInput);
for (const params of combos) await lane.summary(params);
lane.stop();
const laneMs = performance.now() - t2;
t2 = performance.now();
for (const params of combos) await runInThread({ ...sweepInput, params }, () => undefined).result;
const perRunMs = performance.now() - t2;
const engineRate = n / (engineMs / 1000);
const bareRate = n / (bare.ms / 1000);
// signals on the last candle never fill; float rounding may flip a near-tie: report both counts
console.log(`engine: ${n} candles in ${(engineMs / 1000).toFixed(2)} s (fastest of ${runs}), ${report.summary.fills} fills, final equity ${report.summary.finalEquity}`);
console.log(`engine with the strategy never acting (no orders, no fills): ${Math.round(idleRate).toLocaleString("en")} candles/s`);
console.log(`reference path (strategy at every close): ${refN} candles at ${Math.round(refRate).toLocaleString("en")} candles/s`);
console.log(`grid (no scan: called at every close, with orders resting): ${refN} candles at ${Math.round(gridRate).toLocaleString("en")} candles/s, ${gridRun.result.summary.fills} fills`);
console.log(`sweep of ${combos.length} runs over 8640 candles in worker threads: one lane ${(laneMs / 1000).toFixed(2)} s; a thread per run ${(perRunMs / 1000).toFixed(2)} s (${(perRunMs / laneMs).toFixed(0)}x)`);
console.log(`bare typed-array loop: ${n} candles in ${bare.ms.toFixed(1)} ms (fastest of ${runs}), ${bare.result} signals`);
console.log(`backtest: engine ${Math.round(engineRate).toLocaleString("en")} candles/s; bare loop ${Math.round(bareRate).toLocaleString("en")} candles/s; ratio ${(bareRate / engineRate).toFixed(0)} (targets: ≥ 5,000,000/s, ratio ≤ 15)`);
