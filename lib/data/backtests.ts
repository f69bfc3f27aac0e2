import "server-only";
import { requireUser } from "../auth/request";
import type { BacktestLimits, Report, Summary, SweepReport } from "../backtest/types";
import { listCandleCache, type CachedCandles } from "../backtest/candle-cache";
import { derivedName, sweepRun, type JobConfig } from "../backtest/queue";
import { replayBot, type Replay } from "../backtest/replay";
import { db } from "../db/client";
import { env } from "../env";
import { ServiceError } from "../errors";
import { downloadName } from "./download-name";

export interface BacktestRow {
  id: string;
  name: string;
  status: string;
  progress: number;
  message: string | null;
  config: JobConfig;
  summary: Summary | null;
  createdAt: string;
  finishedAt: string | null;
}

/** A job row as pages and the API show it (its report aside). */
export function toBacktestRow(j: { id: string; name: string; status: string; progress: number; message: string | null; config: string; summary: string | null; createdAt: Date; finishedAt: Date | null }): BacktestRow {
  return { id: j.id, name: j.name, status: j.status, progress: j.progress, message: j.message, config: JSON.parse(j.config) as JobConfig, summary: j.summary ? (JSON.parse(j.summary) as Summary) : null, createdAt: j.createdAt.toISOString(), finishedAt: j.finishedAt?.toISOString() ?? null };
}

export const backtestRowSelect = { id: true, name: true, status: true, progress: true, message: true, config: true, summary: true, createdAt: true, finishedAt: true } as const;

export async function listBacktests(): Promise<BacktestRow[]> {
  await requireUser();
  return (await db().backtestJob.findMany({ orderBy: { createdAt: "desc" }, take: 100, select: backtestRowSelect })).map(toBacktestRow);
}

export async function listCachedCandles(): Promise<CachedCandles[]> {
  await requireUser();
  return listCandleCache(db());
}

export async function backtestWithReport(id: string): Promise<(BacktestRow & { report: Report | null; sweep: SweepReport | null }) | null> {
  await requireUser();
  const j = await db().backtestJob.findUnique({ where: { id }, select: { ...backtestRowSelect, report: true } });
  if (!j) return null;
  const parsed = j.report ? (JSON.parse(j.report) as (Report & { kind?: undefined }) | SweepReport) : null;
  return { ...toBacktestRow(j), report: parsed && parsed.kind !== "sweep" ? parsed : null, sweep: parsed?.kind === "sweep" ? parsed : null };
}

/** A finished backtest's report as stored (the CLI's JSON), with a file name made from its name. */
export async function backtestReportFile(id: string): Promise<{ json: string; filename: string } | null> {
  await requireUser();
  const j = await db().backtestJob.findUnique({ where: { id }, select: { name: true, report: true } });
  if (!j?.report) return null;
  return { json: j.report, filename: `backtest-${downloadName(j.name)}.json` };
}

/** A new bot's form filled in from a backtest: its strategy and market, its balance as the paper balance, the risk limits it was given. */
export interface BotPrefill {
  name: string;
  symbol: string;
  strategy: string;
  params: Record<string, unknown>;
  paperStartQuote: string;
  limits: BacktestLimits;
}

/**
 * What "Create a bot from this" fills in — for a sweep, the parameters of its
 * run number `run` (an index into its results), named after the swept values.
 */
export async function botPrefillFromBacktest(id: string | undefined, run?: string): Promise<BotPrefill | undefined> {
  if (!id) return undefined;
  const j = await db().backtestJob.findUnique({ where: { id }, select: { name: true, config: true, report: run !== undefined } });
  if (!j) return undefined;
  const c = JSON.parse(j.config) as JobConfig;
  const account = { symbol: c.symbol, strategy: c.strategy, paperStartQuote: c.balance, limits: c.limits ?? {} };
  if (run === undefined) return { name: derivedName(j.name, "(paper)"), params: c.params, ...account };
  const picked = sweepRun(j.report ?? null, Number(run));
  return picked ? { name: derivedName(j.name, `${picked.label} (paper)`), params: picked.params, ...account } : undefined;
}

/** A bot's replay (./lib/backtest/replay.ts), or the reason there is none yet. */
export async function botReplay(botId: string): Promise<{ replay: Replay } | { error: string }> {
  await requireUser();
  try {
    return { replay: await replayBot(db(), botId, { demoUrl: env().demoExchangeUrl }) };
  } catch (err) {
    if (err instanceof ServiceError) return { error: err.message };
    throw err;
  }
}
