/**
 * Issue 11: the backtest CLI. sma-cross over a CSV agrees with an
 * independent computation of the README's rules (written here with plain
 * decimals, not the engine); the same input gives byte-identical output;
 * candles from the demo exchange through ccxt are cached and the download resumes.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import ccxt from "ccxt";
import { Decimal } from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteCachedCandles, listCandleCache } from "@/lib/backtest/candle-cache";
import { describeCandles, downloadCandles, loadCandles } from "@/lib/backtest/candle-store";
import { queueBacktest } from "@/lib/backtest/queue";
import { utcMinute } from "@/lib/utc";
import { openExchange } from "@/lib/exchange/open";
import { startDemo, type RunningDemo } from "../helpers/demo-exchange";
import { databaseKinds, useTestDatabase } from "../helpers/databases";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "../..");
const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

function walkCsv(n: number, seed: number): { csv: string; rows: { time: number; open: string; close: string }[] } {
  let s = seed;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  let p = 100;
  const rows: { time: number; open: string; close: string }[] = [];
  const lines = ["timestamp,open,high,low,close,volume"];
  for (let i = 0; i < n; i++) {
    const o = Math.round(p * 100) / 100;
    p = Math.max(1, p * (1 + (rnd() - 0.5) * 0.04));
    const c = Math.round(p * 100) / 100;
    const h = Math.round(Math.max(o, c) * 101) / 100;
    const l = Math.round(Math.min(o, c) * 99) / 100;
    const time = 1733011200000 + i * 3_600_000;
    lines.push([time, o, h, l, c, 1].join(","));
    rows.push({ time, open: String(o), close: String(c) });
    p = c;
  }
  return { csv: lines.join("\n"), rows };
}

/** The rules, independently: SMA cross at each close, market fills at the next open, fee from the asset received. */
function independent(rows: { time: number; open: string; close: string }[], fast: number, slow: number, fee: string, balance: string) {
  const closes = rows.map((r) => new D(r.close));
  const sma = (i: number, k: number) => (i + 1 < k ? null : closes.slice(i - k + 1, i + 1).reduce((a, b) => a.add(b), new D(0)).div(k));
  let quote = new D(balance);
  let base = new D(0);
  const fills: { time: number; side: string; price: string }[] = [];
  let pending: "buy" | "sell" | null = null;
  for (let i = 0; i < rows.length; i++) {
    const open = new D(rows[i]!.open);
    if (pending === "buy") {
      base = base.add(quote.mul(new D(1).sub(fee)).div(open));
      fills.push({ time: rows[i]!.time, side: "buy", price: open.toFixed() });
      quote = new D(0);
    } else if (pending === "sell") {
      quote = quote.add(base.mul(open).mul(new D(1).sub(fee)));
      fills.push({ time: rows[i]!.time, side: "sell", price: open.toFixed() });
      base = new D(0);
    }
    pending = null;
    const [f0, s0, f1, s1] = [sma(i - 1, fast), sma(i - 1, slow), sma(i, fast), sma(i, slow)];
    if (!f0 || !s0 || !f1 || !s1) continue;
    if (f0.lte(s0) && f1.gt(s1) && base.isZero()) pending = "buy";
    else if (f0.gte(s0) && f1.lt(s1) && base.gt(0)) pending = "sell";
  }
  return { fills, finalEquity: quote.add(base.mul(closes.at(-1)!)).toFixed(8) };
}

describe("issue 11: backtest CLI", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "keyward-bt-"));
  const cli = (args: string[], env: Record<string, string> = {}) => run(process.execPath, ["--import", "tsx", "--conditions=react-server", "lib/cli/keyward.ts", "backtest", ...args], { cwd: root, env: { ...process.env, KEYWARD_DATA_DIR: dir, ...env }, maxBuffer: 64 * 1024 * 1024 });

  it("sma-cross over a CSV agrees with an independent computation of the rules, and twice gives the same bytes", async () => {
    const { csv, rows } = walkCsv(1500, 42);
    const file = path.join(dir, "walk.csv");
    writeFileSync(file, csv);
    const args = ["--strategy", "sma-cross", "--symbol", "DEMO/USDT", "--timeframe", "1h", "--csv", file, "--param", "fast=7", "--param", "slow=25", "--fee", "0.001", "--balance", "5000"];
    const [a, b] = await Promise.all([cli(args), cli(args)]);
    expect(a.stdout).toBe(b.stdout);
    const report = JSON.parse(a.stdout) as { summary: Record<string, unknown>; fills: { time: number; side: string; price: string }[] };
    const expected = independent(rows, 7, 25, "0.001", "5000");
    expect(expected.fills.length).toBeGreaterThan(20);
    expect(report.fills.map((f) => ({ time: f.time, side: f.side, price: f.price }))).toEqual(expected.fills);
    expect(report.summary.finalEquity).toBe(expected.finalEquity);
    expect(report.summary.fills).toBe(expected.fills.length);
    for (const k of ["startEquity", "finalEquity", "returnPct", "buyAndHoldReturnPct", "maxDrawdownPct", "sharpe", "sortino", "winRate", "profitFactor", "exposurePct", "fees", "fills", "roundTrips"]) expect(report.summary, k).toHaveProperty(k);
  }, 120_000);

  it("the README's command line (npm run -s keyward -- backtest … > report.json) writes nothing but the report to stdout", async () => {
    const file = path.join(dir, "small.csv");
    writeFileSync(file, walkCsv(100, 3).csv);
    const npm = await run("npm", ["run", "-s", "keyward", "--", "backtest", "--strategy", "sma-cross", "--symbol", "DEMO/USDT", "--timeframe", "1h", "--csv", file, "--param", "fast=2", "--param", "slow=5", "--max-order-notional", "50"], { cwd: root, env: { ...process.env, KEYWARD_DATA_DIR: dir } });
    const report = JSON.parse(npm.stdout) as { config: { candles: number; limits: object }; fills: { side: string; quote: string }[] };
    expect(report.config.candles).toBe(100);
    // a bot's risk limit given: sma-cross buys what it lets a market buy name, not the whole balance
    expect(report.config.limits).toEqual({ maxOrderNotional: "50" });
    expect(report.fills.filter((f) => f.side === "buy").map((f) => f.quote)).toContain("49.50495049");
  }, 60_000);

  it("bad input gets a clear message and exit code 2, an exchange that does not answer exit code 1; no stack trace", async () => {
    const bad = path.join(dir, "bad.csv");
    writeFileSync(bad, "timestamp,open,high,low,close,volume\n1733011200000,1,2,0.5,1.5,1\nyesterday,1,2,0.5,1.5,1\n");
    const err = (await cli(["--strategy", "sma-cross", "--symbol", "DEMO/USDT", "--timeframe", "1h", "--csv", bad]).catch((e: { code: number; stderr: string }) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(2);
    expect(err.stderr).toContain("Line 3: the timestamp must be milliseconds");
    expect(err.stderr).not.toMatch(/at .*\.ts:\d+/);
    const down = (await cli(["--strategy", "sma-cross", "--symbol", "DEMO/USDT", "--timeframe", "1h", "--exchange", "demo"], { DEMO_EXCHANGE_URL: "http://127.0.0.1:9" }).catch((e: { code: number; stderr: string }) => e)) as { code: number; stderr: string };
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("The demo exchange does not answer at http://127.0.0.1:9. Start Keyward first");
    expect(down.stderr).not.toMatch(/at .*\.ts:\d+/);
    // hourly candles run as 1-minute ones would close an hour early each: refused, saying which timeframe they are
    const hourly = path.join(dir, "hourly.csv");
    writeFileSync(hourly, walkCsv(50, 3).csv);
    const wrongTf = (await cli(["--strategy", "sma-cross", "--symbol", "DEMO/USDT", "--timeframe", "1m", "--csv", hourly]).catch((e: { code: number; stderr: string }) => e)) as { code: number; stderr: string };
    expect(wrongTf.code).toBe(2);
    expect(wrongTf.stderr).toContain("The candles are 1h apart, but the timeframe is 1m: choose 1h");
    const unknown = (await cli(["--strategy", "nope", "--symbol", "DEMO/USDT", "--timeframe", "1h", "--csv", bad]).catch((e: { code: number; stderr: string }) => e)) as { code: number; stderr: string };
    expect(unknown.stderr).toContain("--strategy: one of");
    // a misspelt parameter would keep its default: refused by name, before anything runs
    const misspelt = (await cli(["--strategy", "sma-cross", "--symbol", "DEMO/USDT", "--timeframe", "1h", "--csv", hourly, "--param", "fast=3", "--param", "slowe=8"]).catch((e: { code: number; stderr: string }) => e)) as { code: number; stderr: string };
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toContain("--param slowe: Not a parameter of SMA cross; its parameters are fast, slow, timeframe, quoteFraction.");
    // sma-cross reads its candles in its own timeframe: one that is not the candles' is refused, not replaced
    const clash = (await cli(["--strategy", "sma-cross", "--symbol", "DEMO/USDT", "--timeframe", "1h", "--csv", hourly, "--param", "timeframe=1m"]).catch((e: { code: number; stderr: string }) => e)) as { code: number; stderr: string };
    expect(clash.code).toBe(2);
    expect(clash.stderr).toContain("--param timeframe: The candles are 1h");
    const invalid = (await cli(["--strategy", "grid", "--symbol", "DEMO/USDT", "--timeframe", "1h", "--csv", hourly, "--param", "lower=110", "--param", "upper=90"]).catch((e: { code: number; stderr: string }) => e)) as { code: number; stderr: string };
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain("--param upper: The upper price must be above the lower one.");
    const badLimit = (await cli(["--strategy", "sma-cross", "--symbol", "DEMO/USDT", "--timeframe", "1h", "--csv", hourly, "--max-open-orders", "0"]).catch((e: { code: number; stderr: string }) => e)) as { code: number; stderr: string };
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toMatch(/--max-open-orders: Max open orders must be a whole number from 1 to 100/);
    const missing = (await cli(["--strategy", "sma-cross", "--symbol", "DEMO/USDT", "--timeframe", "1h", "--csv", path.join(dir, "nope.csv")]).catch((e: { code: number; stderr: string }) => e)) as { code: number; stderr: string };
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--csv: cannot read ${path.join(dir, "nope.csv")} (no such file).`);
  }, 120_000); // ten runs of the CLI, each starting node and tsx (up to ~6 s each on a loaded 2-core machine)

  it("over the demo exchange's history: candles downloaded through ccxt, the report on stdout, and a word that the demo's market is no test of a strategy", async () => {
    const demo = await startDemo();
    try {
      const since = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
      const { stdout, stderr } = await cli(["--strategy", "sma-cross", "--symbol", "DEMO/USDT", "--timeframe", "1h", "--exchange", "demo", "--since", since, "--param", "fast=3", "--param", "slow=8"], { DEMO_EXCHANGE_URL: demo.url });
      const report = JSON.parse(stdout) as { config: { candles: number; market: { amountStep: string } | null }; summary: { fills: number } };
      expect(report.config.candles).toBeGreaterThanOrEqual(48);
      expect(report.config.market?.amountStep).toBe("1"); // the demo's DEMO/USDT trades whole DEMO
      expect(stderr).toContain("The demo exchange's market is synthetic");
    } finally {
      await demo.close();
    }
  }, 60_000);

  it("an option it does not take is named, with the usage (not node's advice to quote it); --help is help, on stdout", async () => {
    const typo = (await cli(["--strategy", "sma-cross", "--symbl", "DEMO/USDT"]).catch((e: { code: number; stderr: string }) => e)) as { code: number; stderr: string };
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^Unknown option '--symbl'\.\n\nUsage: npm run keyward -- backtest --strategy ID/);
    expect((await cli(["--help"])).stdout).toMatch(/^Usage: npm run keyward -- backtest --strategy ID/);
  }, 30_000);
});

describe("issue 11: candles from an exchange through ccxt, cached", () => {
  const t = useTestDatabase("sqlite");
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(async () => demo?.close());

  it("downloads in pages, stores them, a second run fetches nothing it already has, and a gap between two downloads is filled", async () => {
    // pages of 500, so 1,200 candles take three
    const ex = await openExchange({ exchange: "demo", demoUrl: demo.url, timeoutMs: 30_000 });
    const until = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 24 * 3_600_000;
    const range = { exchange: "demo", symbol: "DEMO/USDT", timeframe: "1h" as const, since: until - 1200 * 3_600_000, until };
    const progress: number[] = [];
    expect(await downloadCandles(t.db, ex, range, { onProgress: (f) => progress.push(f), pageSize: 500 })).toBe(1200);
    expect(progress.length).toBe(3); // pages of 500
    expect(progress.at(-1)).toBe(1);
    expect(await downloadCandles(t.db, ex, range, { pageSize: 500 })).toBe(0);
    const candles = await loadCandles(t.db, range);
    expect(candles).toHaveLength(1200);
    expect(candles[1]!.time - candles[0]!.time).toBe(3_600_000);

    // two downloads of separate periods, then one over both: the gap between them is fetched, not skipped
    const end = range.since;
    const hours = (from: number, to: number) => ({ ...range, since: end - from * 3_600_000, until: end - to * 3_600_000 });
    expect(await downloadCandles(t.db, ex, hours(150, 100), { pageSize: 50 })).toBe(50);
    expect(await downloadCandles(t.db, ex, hours(50, 0), { pageSize: 50 })).toBe(50);
    await downloadCandles(t.db, ex, hours(150, 0), { pageSize: 50 });
    const whole = await loadCandles(t.db, hours(150, 0));
    expect(whole).toHaveLength(150);
    expect(whole.every((c, i) => c.time === end - (150 - i) * 3_600_000)).toBe(true);
  }, 60_000);

  it("a history with holes (before a listing, a maintenance) is downloaded once: a second run asks the exchange for nothing", async () => {
    const ex = await openExchange({ exchange: "demo", demoUrl: demo.url, timeoutMs: 30_000 });
    const h = 3_600_000;
    const until = Math.floor(Date.now() / h) * h - 2000 * h; // apart from the other test's candles
    const range = { exchange: "demo", symbol: "ETH/USDT", timeframe: "1h" as const, since: until - 300 * h, until };
    // no candles for the first 40 hours (not listed yet) nor for 25 hours in the middle (maintenance)
    await demo.admin("POST", "/_demo/outages", { symbol: "ETHUSDT", from: 0, to: range.since + 40 * h });
    await demo.admin("POST", "/_demo/outages", { symbol: "ETHUSDT", from: range.since + 150 * h, to: range.since + 175 * h });
    let klines = 0;
    demo.demo.onRequest = (p) => void (p === "/api/v3/klines" && klines++);
    try {
      const progress: number[] = [];
      expect(await downloadCandles(t.db, ex, range, { pageSize: 50, onProgress: (f) => progress.push(f) })).toBe(300 - 40 - 25);
      expect(progress.at(-1)).toBe(1);
      const first = klines;
      expect(await downloadCandles(t.db, ex, range, { pageSize: 50 })).toBe(0);
      expect(klines).toBe(first);
      const candles = await loadCandles(t.db, range);
      expect(candles).toHaveLength(235);
      expect(candles[0]!.time).toBe(range.since + 40 * h);
      expect(candles.some((c) => c.time >= range.since + 150 * h && c.time < range.since + 175 * h)).toBe(false);
      expect(describeCandles(candles, "1h", range)).toBe(`235 candles from ${utcMinute(range.since + 40 * h)} to ${utcMinute(until)}. demo gave none for 65 of the 300 1h candles in the period asked for (before the market was listed, a maintenance, or older than it gives out).`);
      // a longer period later: only the new hours are asked for
      klines = 0;
      expect(await downloadCandles(t.db, ex, { ...range, until: until + 20 * h }, { pageSize: 50 })).toBe(20);
      expect(klines).toBe(1);

      // a market listed 10 hours ago, asked for 300 hours up to now: the first page starts after `since`
      // and reaches the present, as an exchange that ignores `since` answers (Kraken's OHLC gives its last
      // 720), so the time before it is not taken for a hole: a later run asks again, in one request
      const now = Math.floor(Date.now() / h) * h;
      await demo.admin("POST", "/_demo/outages", { symbol: "BTCUSDT", from: 0, to: now - 10 * h });
      const recent = { exchange: "demo", symbol: "BTC/USDT", timeframe: "1h" as const, since: now - 300 * h, until: now };
      expect(await downloadCandles(t.db, ex, recent, { pageSize: 50 })).toBe(10);
      klines = 0;
      expect(await downloadCandles(t.db, ex, recent, { pageSize: 50 })).toBe(0);
      expect(klines).toBe(1);
      expect(describeCandles(await loadCandles(t.db, recent), "1h", recent)).toContain("demo gave none for 290 of the 300 1h candles");
    } finally {
      demo.demo.onRequest = undefined;
      await demo.admin("DELETE", "/_demo/outages");
    }
  }, 60_000);
});

describe("issue 11: an exchange that ignores `since` (Kraken's OHLC, from its documented answers)", () => {
  const t = useTestDatabase("sqlite");

  it("stores the candles it answers, takes no hole for the time before them, and says how many are missing", async () => {
    // a real ccxt kraken whose OHLC endpoint answers as Kraken documents it: "up to 720 of the most recent
    // entries (older data cannot be retrieved, regardless of the value of since)", rows of
    // [time s, open, high, low, close, vwap, volume, count], the last one the candle still forming
    const h = 3_600_000;
    const now = Date.now();
    const forming = Math.floor(now / h) * h;
    const kraken = new ccxt.kraken({});
    kraken.setMarkets([{ id: "XXBTZUSD", symbol: "BTC/USD", base: "BTC", quote: "USD", baseId: "XXBT", quoteId: "ZUSD", type: "spot", spot: true, active: true, precision: { amount: 1e-8, price: 0.1 }, limits: { amount: { min: 0.0001 } } }]);
    const asked: (string | undefined)[] = [];
    (kraken as unknown as { publicGetOHLC: (req: { pair: string; interval: number; since?: string }) => Promise<unknown> }).publicGetOHLC = async (req) => {
      expect(req).toMatchObject({ pair: "XXBTZUSD", interval: 60 });
      asked.push(req.since);
      const rows = Array.from({ length: 720 }, (_, i) => {
        const open = (forming - (719 - i) * h) / 1000;
        return [open, "60000.0", "60100.0", "59900.0", "60050.0", "60010.0", "1.5", 42];
      });
      return { error: [], result: { XXBTZUSD: rows, last: (forming - h) / 1000 } };
    };
    const range = { exchange: "kraken", symbol: "BTC/USD", timeframe: "1h" as const, since: forming - 2000 * h, until: forming };
    expect(await downloadCandles(t.db, kraken, range)).toBe(719); // the forming candle is not stored
    expect(asked).toEqual([String((range.since - h) / 1000)]); // ccxt asks one candle early: its own convention
    const candles = await loadCandles(t.db, range);
    expect(candles[0]).toMatchObject({ time: forming - 719 * h, open: "60000", close: "60050", volume: "1.5" });
    expect(describeCandles(candles, "1h", range, now)).toContain("kraken gave none for 1281 of the 2000 1h candles");
    // the 1,281 hours before are not taken for a hole: asked again (one request), nothing new stored
    expect(await downloadCandles(t.db, kraken, range)).toBe(0);
    expect(asked).toHaveLength(2);
  });
});

describe.each(databaseKinds)("issue 11: two backtests downloading the same candles at once, on %s", (kind) => {
  const t = useTestDatabase(kind);
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo();
  });
  afterAll(async () => demo?.close());

  it("both succeed and the candles are stored once; the cache lists them, and deleting them waits for the backtests that use them", async () => {
    const h = 3_600_000;
    const until = Math.floor(Date.now() / h) * h - 24 * h;
    const range = { exchange: "demo", symbol: "DEMO/USDT", timeframe: "1h" as const, since: until - 200 * h, until };
    const open = () => openExchange({ exchange: "demo", demoUrl: demo.url, timeoutMs: 30_000 });
    const [a, b] = await Promise.all([open(), open()]);
    // the same pages written at the same time (on PostgreSQL both inserted them, and one failed on the primary key)
    expect(await Promise.all([downloadCandles(t.db, a, range, { pageSize: 50 }), downloadCandles(t.db, b, range, { pageSize: 50 })])).toEqual([200, 200]);
    const candles = await loadCandles(t.db, range);
    expect(candles).toHaveLength(200);
    expect(new Set(candles.map((c) => c.time)).size).toBe(200);

    // the Cached candles page lists them; deleting them waits for the backtests using them, then
    // removes candles and spans alike, so the next download fetches them again
    const key = { exchange: "demo", symbol: "DEMO/USDT", timeframe: "1h" as const };
    expect(await listCandleCache(t.db)).toEqual([{ ...key, candles: 200, from: range.since, to: range.until }]);
    const actor = { id: null, label: "test" };
    const queued = await queueBacktest(t.db, { name: "uses them", strategy: "sma-cross", symbol: "DEMO/USDT", timeframe: "1h", source: "exchange", exchange: "demo", days: 30, fee: "0.001", slippageBps: 0, balance: "1000" }, { fast: "3", slow: "9" }, actor);
    if (!queued.ok) throw new Error(queued.error);
    await expect(deleteCachedCandles(t.db, key, actor)).rejects.toThrow('The backtest "uses them" is using these candles: let it finish or cancel it, then delete them.');
    expect(await loadCandles(t.db, range)).toHaveLength(200);
    await t.db.backtestJob.update({ where: { id: queued.id }, data: { status: "cancelled" } });
    expect(await deleteCachedCandles(t.db, key, actor)).toBe(200);
    expect(await listCandleCache(t.db)).toEqual([]);
    expect(await t.db.candleSpan.count()).toBe(0);
    expect((await t.db.auditEntry.findFirstOrThrow({ where: { action: "candles.delete" } })).detail).toContain('"candles":200');
    await expect(deleteCachedCandles(t.db, key, actor)).rejects.toThrow("No 1h candles of DEMO/USDT on demo are cached (any more).");
    expect(await downloadCandles(t.db, a, range, { pageSize: 50 })).toBe(200);
  }, 60_000);
});
