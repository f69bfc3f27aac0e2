/**
 * `npm run keyward -- backtest …`: a backtest from the command line. The
 * report is JSON on stdout; progress goes to stderr.
 *   --csv FILE                      candles from a file (timestamp,open,high,low,close,volume; ms)
 *   --exchange ID [--since DATE] [--until DATE]   candles through ccxt, cached in the database
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { describeCandles, downloadCandles, loadCandles } from "../backtest/candle-store";
import { checkSpacing, parseCandlesCsv } from "../backtest/csv";
import { runBacktest, type MarketSpec } from "../backtest/engine";
import { marketSpec } from "../backtest/market-spec";
import { backtestLimitsSchema } from "../backtest/queue";
import { demoMarketNote, givenLimits } from "../backtest/types";
import { timeframeMs, timeframes, type Timeframe } from "../exchange/timeframes";
import { db } from "../db/client";
import { env } from "../env";
import { openExchange } from "../exchange/open";
import type { Candle } from "../strategies/types";
import { parseBacktestParams, strategyIds } from "../strategies/registry";
import { prepareDatabase } from "./prepare-database";

export const backtestUsage = `  backtest --strategy ID --symbol SYM --timeframe TF (--csv FILE | --exchange ID [--since DATE] [--until DATE])
           [--param k=v ...] [--fee 0.001] [--slippage-bps N] [--balance 10000]
           [--max-order-notional Q] [--max-daily-loss Q] [--max-open-orders N] [--max-position B]
                                                      (report as JSON on stdout; strategies: ${strategyIds.join(", ")})`;

export class BacktestUsageError extends Error {}

/** The bot's risk limits as flags (the Backtests form's fields). */
const limitFlags = { "max-order-notional": "maxOrderNotional", "max-daily-loss": "maxDailyLoss", "max-open-orders": "maxOpenOrders", "max-position": "maxPosition" } as const;
const flagOf: Record<string, string> = Object.fromEntries(Object.entries(limitFlags).map(([flag, name]) => [name, flag]));

function date(v: string | undefined, what: string, fallback: number): number {
  if (!v) return fallback;
  const t = /^\d{10,15}$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(t)) throw new BacktestUsageError(`${what}: a date (2026-11-01 or 2026-11-01T12:00:00Z) or ms since 1970, not "${v}".`);
  return t;
}

export async function backtestCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      strategy: { type: "string" }, symbol: { type: "string" }, timeframe: { type: "string" }, csv: { type: "string" }, exchange: { type: "string" },
      since: { type: "string" }, until: { type: "string" }, param: { type: "string", multiple: true }, fee: { type: "string" }, "slippage-bps": { type: "string" }, balance: { type: "string" },
      ...Object.fromEntries(Object.keys(limitFlags).map((flag) => [flag, { type: "string" as const }])),
    },
  });
  const need = (v: string | undefined, name: string) => {
    if (!v) throw new BacktestUsageError(`--${name} is required.\n${backtestUsage}`);
    return v;
  };
  const strategy = need(values.strategy, "strategy");
  if (!strategyIds.includes(strategy)) throw new BacktestUsageError(`--strategy: one of ${strategyIds.join(", ")}.`);
  const symbol = need(values.symbol, "symbol");
  const timeframe = need(values.timeframe, "timeframe") as Timeframe;
  if (!timeframes.includes(timeframe)) throw new BacktestUsageError(`--timeframe: one of ${timeframes.join(", ")}.`);
  if (!values.csv === !values.exchange) throw new BacktestUsageError(`Give either --csv FILE or --exchange ID.\n${backtestUsage}`);
  const raw: Record<string, unknown> = {};
  for (const p of values.param ?? []) {
    const at = p.indexOf("=");
    if (at < 1) throw new BacktestUsageError(`--param ${p}: write it as name=value.`);
    raw[p.slice(0, at)] = p.slice(at + 1);
  }
  // checked before any download: a misspelt name is refused, not dropped
  const parsed = parseBacktestParams(strategy, raw, timeframe);
  if (!parsed.ok) throw new BacktestUsageError(Object.entries(parsed.errors).map(([k, why]) => `--param ${k.replace(/^param\./, "")}: ${why.join(" ")}`).join("\n"));
  const params = parsed.params;
  const slippageBps = values["slippage-bps"] === undefined ? 0 : Number(values["slippage-bps"]);
  if (!Number.isInteger(slippageBps) || slippageBps < 0 || slippageBps > 10_000) throw new BacktestUsageError("--slippage-bps: a whole number from 0 to 10000.");
  for (const [name, v] of [["fee", values.fee], ["balance", values.balance]] as const) if (v !== undefined && !/^\d+(\.\d+)?$/.test(v)) throw new BacktestUsageError(`--${name}: a plain decimal number, not "${v}".`);
  const limits = backtestLimitsSchema.safeParse(Object.fromEntries(Object.entries(limitFlags).map(([flag, name]) => [name, (values as Record<string, unknown>)[flag]])));
  if (!limits.success) throw new BacktestUsageError(limits.error.issues.map((i) => `--${flagOf[String(i.path[0])]}: ${i.message}`).join("\n"));

  let candles: Candle[];
  let market: MarketSpec | null = null;
  const progress = (what: string) => (f: number) => process.stderr.write(`\r${what} ${Math.round(f * 100)}%`);
  if (values.csv) {
    candles = parseCandlesCsv(readCsv(values.csv));
    checkSpacing(candles, timeframe);
  } else {
    const config = env();
    await prepareDatabase(config.databaseUrl);
    const exchange = values.exchange!;
    const until = date(values.until, "--until", Date.now());
    const since = date(values.since, "--since", until - 1000 * timeframeMs[timeframe]);
    const ex = await openExchange({ exchange, demoUrl: config.demoExchangeUrl, timeoutMs: 60_000 }).catch((err: unknown) => {
      const why = err instanceof Error ? err.message : String(err);
      if (exchange !== "demo") throw new Error(`Could not load ${exchange}'s markets (${why}). Check the network and try again.`);
      throw new Error(`The demo exchange does not answer at ${config.demoExchangeUrl ?? "(none: DEMO_EXCHANGE is off)"}. Start Keyward first (npm start runs it), or point DEMO_EXCHANGE_URL at one that runs.`);
    });
    if (!ex.markets?.[symbol]) throw new BacktestUsageError(`${exchange} has no market ${symbol}.`);
    market = marketSpec(ex, symbol);
    const range = { exchange, symbol, timeframe, since, until };
    await downloadCandles(db(), ex, range, { onProgress: progress("candles") });
    process.stderr.write("\n");
    candles = await loadCandles(db(), range);
    if (!candles.length) throw new BacktestUsageError(`No candles for ${symbol} ${timeframe} from ${new Date(since).toISOString()} to ${new Date(until).toISOString()}.`);
    process.stderr.write(`${describeCandles(candles, timeframe, range)}\n`);
    if (exchange === "demo") process.stderr.write(`${demoMarketNote}\n`);
  }
  const report = runBacktest({
    strategy, params, symbol, timeframe, candles, fee: values.fee, slippageBps, balance: values.balance, limits: givenLimits(limits.data), market,
    onProgress: (done, total) => progress("backtest")(done / total),
  });
  process.stderr.write("\n");
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

/** The CSV file's text, or a usage error naming the file and what is wrong with it. */
function readCsv(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : (err as Error).message;
    throw new BacktestUsageError(`--csv: cannot read ${file} (${why}).`);
  }
}
