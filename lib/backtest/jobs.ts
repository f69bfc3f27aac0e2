/**
 * The worker's backtest jobs: claim a queued job (compare-and-swap), fetch
 * its candles (cached, ./candle-store.ts), run it in a worker thread
 * (./in-thread.ts) with progress written about once a second, honour cancel
 * requests, store the report. A job left `running` by a worker that died or
 * restarted is marked `interrupted` with the reason — never silently lost.
 */
import os from "node:os";
import type { Db } from "../db/client";
import { safeErrorMessage } from "../exchange/errors";
import { openExchange } from "../exchange/open";
import type { Logger } from "../log";
import type { Candle } from "../strategies/types";
import { describeCandles, downloadCandles, loadCandles, type Range } from "./candle-store";
import { parseCandlesCsv } from "./csv";
import type { BacktestData, MarketSpec, Report } from "./engine";
import { runInThread, ThreadLane } from "./in-thread";
import { marketSpec } from "./market-spec";
import { sweepCombinations, sweptValues, type JobConfig } from "./queue";
import type { Summary } from "./stats";
import type { Timeframe } from "../exchange/timeframes";

/** What a finished job stores: its report (JSON), the summary shown in the list, and for a sweep the best run's name. */
type Outcome = { message?: string; report: string; summary: Summary };

export class BacktestJobs {
  private readonly mine = new Map<string, { stop?: () => void }>();
  /** threads at once, for jobs and for a sweep's runs: the machine's cores less one (the worker's own loop keeps one) */
  private readonly parallel = Math.max(1, os.availableParallelism() - 1);

  constructor(private readonly o: { db: Db; workerId: string; demoUrl: string | undefined; log: Logger; staleWorkerMs: number }) {}

  async pass(): Promise<void> {
    const { db, workerId } = this.o;
    // jobs whose worker is gone (or this worker, before a restart)
    const running = await db.backtestJob.findMany({ where: { status: "running" }, select: { id: true, claimedBy: true } });
    const alive = new Set((await db.workerHeartbeat.findMany({ where: { lastBeatAt: { gte: new Date(Date.now() - this.o.staleWorkerMs) } }, select: { workerId: true } })).map((w) => w.workerId));
    for (const j of running) {
      if ((j.claimedBy === workerId && !this.mine.has(j.id)) || (j.claimedBy !== workerId && !alive.has(j.claimedBy ?? ""))) {
        await db.backtestJob.updateMany({ where: { id: j.id, status: "running", claimedBy: j.claimedBy }, data: { status: "interrupted", finishedAt: new Date(), message: "Interrupted: the worker running it stopped (a crash or a restart). Run it again." } });
      }
    }
    while (this.mine.size < this.parallel) {
      const next = await db.backtestJob.findFirst({ where: { status: "queued" }, orderBy: { createdAt: "asc" }, select: { id: true } });
      if (!next) return;
      const claimed = await db.backtestJob.updateMany({ where: { id: next.id, status: "queued" }, data: { status: "running", claimedBy: workerId, startedAt: new Date(), message: "Starting…" } });
      if (!claimed.count) continue;
      const entry: { stop?: () => void } = {};
      this.mine.set(next.id, entry);
      // a database error outside the job's own try (reading the job, writing its end) is logged; the
      // job stays `running` and is marked interrupted at this worker's next pass, once it is no longer `mine`
      void this.execute(next.id, entry)
        .catch((err: unknown) => this.o.log.error({ backtest: next.id, message: safeErrorMessage(err) }, "backtest job failed"))
        .finally(() => this.mine.delete(next.id));
    }
  }

  /**
   * A parameter sweep: every combination, through `parallel` threads (the
   * machine's cores less one) that each take the candles once and run one
   * combination after another; one summary each; the best return is the job's summary.
   */
  private async sweep(entry: { stop?: () => void }, input: BacktestData, grid: Record<string, string[]>, progress: (pct: number, message: string) => void, cancelled: () => boolean): Promise<Outcome> {
    const combos = sweepCombinations(input.params, grid);
    const results: { params: Record<string, unknown>; summary: Summary }[] = new Array(combos.length);
    const lanes = Array.from({ length: Math.min(this.parallel, combos.length) }, () => new ThreadLane(input));
    entry.stop = () => lanes.forEach((l) => l.stop());
    let next = 0;
    let done = 0;
    const work = async (lane: ThreadLane) => {
      while (next < combos.length && !cancelled()) {
        const i = next++;
        results[i] = { params: combos[i]!, summary: await lane.summary(combos[i]!) };
        done++;
        progress(40 + (done / combos.length) * 60, `Run ${done} of ${combos.length}…`);
      }
    };
    try {
      await Promise.all(lanes.map(work));
    } finally {
      lanes.forEach((l) => l.stop());
    }
    if (cancelled()) throw new Error("The backtest was cancelled.");
    const best = results.reduce((a, b) => (b.summary.returnPct > a.summary.returnPct ? b : a));
    const report = JSON.stringify({ version: 1, kind: "sweep", config: { ...input, candles: input.candles.length }, grid, results });
    return { message: `${combos.length} runs; the best return: ${sweptValues(best.params, grid)} (${best.summary.returnPct} %).`, report, summary: best.summary };
  }

  /** One backtest in a thread: its report and summary. */
  private async single(entry: { stop?: () => void }, input: BacktestData, progress: (pct: number, message: string) => void, cancelled: () => boolean): Promise<Outcome> {
    const run = runInThread(input, (done, total) => progress(40 + (done / total) * 60, `Simulating candle ${done} of ${total}…`));
    entry.stop = run.stop;
    if (cancelled()) run.stop();
    const report = await run.result;
    return { report, summary: (JSON.parse(report) as Report).summary };
  }

  /** Ends running threads (worker shutdown): their jobs are marked interrupted by the next worker's pass. */
  stop(): void {
    for (const e of this.mine.values()) e.stop?.();
  }

  private async execute(id: string, entry: { stop?: () => void }): Promise<void> {
    const { db, log } = this.o;
    const job = await db.backtestJob.findUniqueOrThrow({ where: { id } });
    const config = JSON.parse(job.config) as JobConfig;
    let cancelAsked = false;
    // Progress is written one write at a time, only while the job runs, and
    // never after the job's last word: a late progress write would otherwise
    // overwrite "done" with "Run 4 of 4…" (seen on PostgreSQL).
    let lastWrite = 0;
    let writing: Promise<unknown> = Promise.resolve();
    const progress = (pct: number, message: string) => {
      if (Date.now() - lastWrite < 1000) return;
      lastWrite = Date.now();
      writing = writing.then(() => db.backtestJob.updateMany({ where: { id, status: "running" }, data: { progress: Math.floor(pct), message } })).catch(() => undefined);
    };
    const finish = async (data: { status: string; message: string; progress?: number; report?: string; summary?: string }) => {
      lastWrite = Infinity;
      await writing;
      await db.backtestJob.update({ where: { id }, data: { ...data, finishedAt: new Date() } });
    };
    // a cancel is noticed within half a second, whatever the progress
    const watch = setInterval(() => {
      void db.backtestJob.findUnique({ where: { id }, select: { cancelAsked: true } }).then((j) => {
        if (j?.cancelAsked && !cancelAsked) {
          cancelAsked = true;
          entry.stop?.();
        }
      }, () => undefined);
    }, 500);
    try {
      let candles: Candle[];
      let market: MarketSpec | null = null;
      let asked: Range | undefined;
      if (config.source === "csv") {
        candles = parseCandlesCsv(job.csv ?? "");
      } else {
        const ex = await openExchange({ exchange: config.exchange, demoUrl: this.o.demoUrl, timeoutMs: 60_000 });
        if (!ex.markets?.[config.symbol]) throw new Error(`${config.exchange} has no market ${config.symbol}.`);
        market = marketSpec(ex, config.symbol);
        const range = { exchange: config.exchange, symbol: config.symbol, timeframe: config.timeframe as Timeframe, since: config.since, until: config.until };
        await downloadCandles(db, ex, range, { onProgress: (f) => progress(f * 40, "Downloading candles…"), cancelled: () => cancelAsked });
        if (cancelAsked) throw new Error("The backtest was cancelled.");
        candles = await loadCandles(db, range);
        if (!candles.length) throw new Error(`No candles for ${config.symbol} ${config.timeframe} in that period.`);
        asked = range;
      }
      const input = { strategy: config.strategy, params: config.params, symbol: config.symbol, timeframe: config.timeframe as Timeframe, candles, fee: config.fee, slippageBps: config.slippageBps, balance: config.balance, limits: config.limits, market };
      const outcome = config.sweep ? await this.sweep(entry, input, config.sweep, progress, () => cancelAsked) : await this.single(entry, input, progress, () => cancelAsked);
      await finish({ status: "done", progress: 100, message: [outcome.message, describeCandles(candles, input.timeframe, asked)].filter(Boolean).join(" "), report: outcome.report, summary: JSON.stringify(outcome.summary) });
    } catch (err) {
      const status = cancelAsked ? "cancelled" : "failed";
      // a database error's text quotes the code that failed: the log has it, the page a plain sentence
      const internal = err instanceof Error && err.name.startsWith("PrismaClient");
      const message = safeErrorMessage(err);
      log.info({ backtest: id, status, message }, "backtest ended without a report");
      await finish({ status, message: cancelAsked ? "Cancelled." : internal ? "The backtest stopped on a database error (the worker's log has it). Run it again." : message });
    } finally {
      clearInterval(watch);
    }
  }
}
