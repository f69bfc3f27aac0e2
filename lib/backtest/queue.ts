/**
 * Backtest jobs as the web sees them: queue one (validated), list them, ask
 * to cancel. A worker runs them (./jobs.ts). No engine code here.
 */
import { z } from "zod";
import { appendAudit } from "../audit/append";
import type { Actor } from "../auth/users";
import type { Db } from "../db/client";
import { InvalidInputError, NotFoundError } from "../errors";
import { checkSpacing, CsvError, maxCsvChars, parseCandlesCsv } from "./csv";
import { givenLimits, type BacktestLimits, type SweepReport } from "./types";
import { paramFields, parseBacktestParams, parseParams, strategies, strategyIds, type ParamField } from "../strategies/registry";
import { nameSchema, optionalField, positiveDecimal, wholeNumber } from "../validation/common";
import { closedUntil, timeframeMs, timeframes, type Timeframe } from "../exchange/timeframes";

export const maxCandles = 200_000;

/** A bot's risk limits, as its form names them, given to a backtest; empty: not binding. */
export const backtestLimitsSchema = z.object({
  maxOrderNotional: optionalField(positiveDecimal("Max order notional")),
  maxDailyLoss: optionalField(positiveDecimal("Max daily loss")),
  maxOpenOrders: optionalField(wholeNumber("Max open orders", 1, 100)),
  maxPosition: optionalField(positiveDecimal("Max position")),
});

export const backtestFormSchema = z.object({
  name: nameSchema("backtest"),
  strategy: z.enum(strategyIds, { error: "Choose a strategy." }),
  symbol: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}$/, "A symbol looks like BTC/USDT."),
  timeframe: z.enum(timeframes as [string, ...string[]], { error: `One of ${timeframes.join(", ")}.` }),
  source: z.enum(["exchange", "csv"]).default("exchange"),
  exchange: z.string().trim().regex(/^[a-z0-9]{2,30}$/, "An exchange id, e.g. demo or binance.").default("demo"),
  days: wholeNumber("Days of history", 1, 3650).default(30),
  csv: z.string().max(maxCsvChars, "Paste at most 1 MB of CSV here; use the CLI for larger files.").optional(),
  fee: z.string().trim().regex(/^0(\.\d{1,6})?$/, "A fee rate below 1, e.g. 0.001 for 0.1 %.").default("0.001"),
  slippageBps: wholeNumber("Slippage (bps)", 0, 1000).default(0),
  balance: positiveDecimal("The starting balance").default("10000"),
  ...backtestLimitsSchema.shape,
  /** a parameter sweep: "fast=5,10,20; slow=30,50" — every combination is run */
  sweep: z.string().trim().max(2000).optional(),
});
export type BacktestForm = z.output<typeof backtestFormSchema>;

export interface JobConfig {
  strategy: string;
  params: Record<string, unknown>;
  symbol: string;
  timeframe: string;
  source: "exchange" | "csv";
  exchange: string;
  since: number;
  until: number;
  fee: string;
  slippageBps: number;
  balance: string;
  /** the risk limits given (older jobs: none) */
  limits?: BacktestLimits;
  /** parameter name → the values to try (every combination) */
  sweep?: Record<string, string[]>;
}

export const maxSweepRuns = 200;

/** How many runs a sweep's grid makes: every combination. */
export function sweepRuns(grid: Record<string, string[]>): number {
  return Object.values(grid).reduce((n, v) => n * v.length, 1);
}

/** "fast=5,10,20; slow=30,50" → {fast: ["5","10","20"], slow: ["30","50"]}, or why not. */
export function parseSweep(text: string): { ok: true; grid: Record<string, string[]>; runs: number } | { ok: false; error: string } {
  const grid: Record<string, string[]> = {};
  for (const part of text.split(/[;\n]/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^([A-Za-z]\w{0,40})\s*=\s*(.+)$/.exec(part);
    if (!m) return { ok: false, error: `"${part.slice(0, 40)}": write name=value1,value2,…` };
    const values = m[2]!.split(",").map((v) => v.trim()).filter(Boolean);
    if (!values.length) return { ok: false, error: `${m[1]}: give at least one value.` };
    grid[m[1]!] = [...new Set(values)];
  }
  const runs = sweepRuns(grid);
  if (!Object.keys(grid).length) return { ok: false, error: "Name at least one parameter to sweep." };
  if (runs > maxSweepRuns) return { ok: false, error: `That is ${runs} runs; at most ${maxSweepRuns}.` };
  return { ok: true, grid, runs };
}

/** A strategy's parameters as a backtest sets them: a candle timeframe (sma-cross's) is the candles' (the form's Timeframe; parseBacktestParams), not one of its own. */
export function backtestParamFields(strategyId: string): ParamField[] {
  return paramFields(strategyId).filter((f) => f.name !== "timeframe");
}

/** Why a sweep names something that is not one of the strategy's parameters (zod would drop it, and every run would be the same), or null. */
export function sweepNameError(strategyId: string, grid: Record<string, string[]>): string | null {
  const names = backtestParamFields(strategyId).map((f) => f.name);
  const unknown = Object.keys(grid).filter((k) => !names.includes(k));
  if (!unknown.length) return null;
  const what = unknown.length > 1 ? `${unknown.map((k) => `"${k}"`).join(", ")} are not parameters` : `"${unknown[0]}" is not a parameter`;
  const timeframe = unknown.includes("timeframe") ? " The Timeframe field sets the candles: run one backtest for each timeframe." : "";
  return `${what} of ${strategies[strategyId]?.name ?? strategyId} here; sweep any of: ${names.join(", ")}.${timeframe}`;
}

/** A sweep run's swept parameters, as the sweep field writes them: "fast=5 slow=30". */
export function sweptValues(params: Record<string, unknown>, grid: Record<string, string[]>): string {
  return Object.keys(grid)
    .map((k) => `${k}=${String(params[k])}`)
    .join(" ");
}

/** A name for something made from a backtest: its name shortened so that the suffix fits the names' 60 characters. */
export function derivedName(name: string, suffix: string, max = 60): string {
  return `${name.slice(0, Math.max(1, max - suffix.length - 1)).trim()} ${suffix}`.slice(0, max);
}

/** Run number `run` of a finished sweep (an index into its results), or null. */
export function sweepRun(report: string | null, run: number): { params: Record<string, unknown>; label: string } | null {
  const sweep = report ? (JSON.parse(report) as Partial<SweepReport>) : null;
  const result = sweep?.kind === "sweep" && Number.isInteger(run) && run >= 0 ? sweep.results?.[run] : undefined;
  return result ? { params: result.params, label: sweptValues(result.params, sweep!.grid!) } : null;
}

/** Every combination of the grid over the base parameters. */
export function sweepCombinations(base: Record<string, unknown>, grid: Record<string, string[]>): Record<string, unknown>[] {
  return Object.entries(grid).reduce<Record<string, unknown>[]>((acc, [name, values]) => acc.flatMap((p) => values.map((v) => ({ ...p, [name]: v }))), [base]);
}

export type QueueResult = { ok: true; id: string } | { ok: false; error: string; fieldErrors?: Record<string, string[]> };

export async function queueBacktest(db: Db, form: BacktestForm, rawParams: Record<string, unknown>, actor: Actor, now = Date.now()): Promise<QueueResult> {
  const params = parseBacktestParams(form.strategy, rawParams, form.timeframe);
  if (!params.ok) return { ok: false, error: "Please correct the strategy's parameters.", fieldErrors: params.errors };
  const tf = timeframeMs[form.timeframe as keyof typeof timeframeMs];
  const until = closedUntil(tf, now);
  const since = until - form.days * 86_400_000;
  if (form.source === "exchange" && (until - since) / tf > maxCandles) return { ok: false, error: `That is more than ${maxCandles.toLocaleString("en")} candles: choose fewer days or a longer timeframe.`, fieldErrors: { days: ["Too many candles."] } };
  if (form.source === "csv") {
    if (!form.csv?.trim()) return { ok: false, error: "Paste the CSV candles or choose a file, or run on the exchange's history.", fieldErrors: { csv: ["Empty."] } };
    // a file that would fail in the worker fails here, with its line, before anything is queued
    try {
      checkSpacing(parseCandlesCsv(form.csv), form.timeframe as Timeframe);
    } catch (err) {
      if (!(err instanceof CsvError)) throw err;
      return { ok: false, error: `The CSV candles: ${err.message}`, fieldErrors: { csv: [err.message] } };
    }
  }
  let sweep: Record<string, string[]> | undefined;
  if (form.sweep) {
    const parsed = parseSweep(form.sweep);
    if (!parsed.ok) return { ok: false, error: parsed.error, fieldErrors: { sweep: [parsed.error] } };
    const unknown = sweepNameError(form.strategy, parsed.grid);
    if (unknown) return { ok: false, error: unknown, fieldErrors: { sweep: [unknown] } };
    // every combination must be valid parameters, checked before anything runs
    for (const combo of sweepCombinations(params.params, parsed.grid)) {
      const check = parseParams(form.strategy, combo);
      if (!check.ok) return { ok: false, error: `The sweep has an invalid combination (${JSON.stringify(combo)}): ${Object.values(check.errors).flat().join(" ")}`, fieldErrors: { sweep: ["An invalid combination."] } };
    }
    sweep = parsed.grid;
  }
  const config: JobConfig = { strategy: form.strategy, params: params.params, symbol: form.symbol, timeframe: form.timeframe, source: form.source, exchange: form.exchange, since, until, fee: form.fee, slippageBps: form.slippageBps, balance: form.balance, limits: givenLimits(form), sweep };
  return { ok: true, id: await createJob(db, form.name, config, form.source === "csv" ? (form.csv ?? null) : null, actor) };
}

/** Stores a queued job and audits it; returns its id. */
async function createJob(db: Db, name: string, config: JobConfig, csv: string | null, actor: Actor, detail: Record<string, string> = {}): Promise<string> {
  const job = await db.backtestJob.create({ data: { name, config: JSON.stringify(config), csv, createdById: actor.id } });
  await appendAudit(db, { actor, action: "backtest.queue", ip: actor.ip, target: { type: "backtest", id: job.id }, detail: { name, strategy: config.strategy, symbol: config.symbol, timeframe: config.timeframe, source: config.source, ...detail } });
  return job.id;
}

export async function askCancelBacktest(db: Db, id: string): Promise<void> {
  const r = await db.backtestJob.updateMany({ where: { id, status: { in: ["queued", "running"] } }, data: { cancelAsked: true } });
  if (!r.count) throw new NotFoundError("That backtest is not queued or running.");
  await db.backtestJob.updateMany({ where: { id, status: "queued" }, data: { status: "cancelled", finishedAt: new Date(), message: "Cancelled before it started." } });
}

/** Deletes a finished backtest and its report; a queued or running one must be cancelled first. */
export async function deleteBacktest(db: Db, id: string, actor: Actor): Promise<void> {
  const job = await db.backtestJob.findUnique({ where: { id }, select: { name: true, status: true } });
  if (!job) throw new NotFoundError("That backtest does not exist (any more).");
  const r = await db.backtestJob.deleteMany({ where: { id, status: { notIn: ["queued", "running"] } } });
  if (!r.count) throw new InvalidInputError(`"${job.name}" is still ${job.status}: cancel it first, then delete it.`);
  await appendAudit(db, { actor, action: "backtest.delete", ip: actor.ip, target: { type: "backtest", id }, detail: { name: job.name, status: job.status } });
}

/**
 * Queues one run of a finished sweep on its own — the same candles and settings, that run's
 * parameters — for its full report with charts (a sweep keeps only each run's statistics).
 */
export async function queueSweepRun(db: Db, id: string, run: number, actor: Actor): Promise<string> {
  const job = await db.backtestJob.findUnique({ where: { id }, select: { name: true, config: true, csv: true, report: true } });
  if (!job) throw new NotFoundError("That backtest does not exist (any more).");
  const picked = sweepRun(job.report, run);
  if (!picked) throw new InvalidInputError("That sweep has no such run.");
  const config: JobConfig = { ...(JSON.parse(job.config) as JobConfig), params: picked.params, sweep: undefined };
  return createJob(db, derivedName(job.name, picked.label), config, job.csv, actor, { fromSweep: id });
}
