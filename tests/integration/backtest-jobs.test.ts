/**
 * Issue 11: backtest jobs in the worker on a real database: a queued job is
 * run in a thread and its report stored; a cancel stops it; a job left
 * running by a worker that died is marked interrupted, not lost.
 */
import { describe, expect, it } from "vitest";
import { BacktestJobs } from "@/lib/backtest/jobs";
import { deleteBacktest, queueBacktest, queueSweepRun } from "@/lib/backtest/queue";
import { log } from "@/lib/log";
import { databaseKinds, useTestDatabase } from "../helpers/databases";
import { waitUntil } from "../helpers/bots";

function csv(n: number): string {
  let p = 100;
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const o = p;
    p = Math.round(p * (1 + Math.sin(i / 7) * 0.01) * 100) / 100;
    lines.push(`${1733011200000 + i * 3_600_000},${o},${Math.max(o, p) + 0.5},${Math.min(o, p) - 0.5},${p},1`);
  }
  return lines.join("\n");
}

const form = { name: "job", strategy: "sma-cross", symbol: "DEMO/USDT", timeframe: "1h", source: "csv" as const, exchange: "demo", days: 30, fee: "0.001", slippageBps: 0, balance: "1000" };
const actor = { id: null, label: "test" };

describe.each(databaseKinds)("backtest jobs on %s", (kind) => {
  const t = useTestDatabase(kind);

  it("runs a queued job in a thread and stores its report; a cancel ends a running one; a dead worker's job is marked interrupted; a finished one can be deleted, a running one not", async () => {
    const jobs = new BacktestJobs({ db: t.db, workerId: "w-live", demoUrl: undefined, log, staleWorkerMs: 30_000 });
    await t.db.workerHeartbeat.create({ data: { workerId: "w-live", host: "h", pid: 1, version: "t" } });
    const small = await queueBacktest(t.db, { ...form, csv: csv(500) }, { fast: "3", slow: "9" }, actor);
    expect(small.ok).toBe(true);
    await jobs.pass();
    const done = await waitUntil("the report", async () => {
      const j = await t.db.backtestJob.findUniqueOrThrow({ where: { id: (small as { id: string }).id } });
      return j.status === "done" ? j : undefined;
    }, 30_000);
    expect(done.progress).toBe(100);
    expect(done.message).toMatch(/^500 candles from \d{4}-\d\d-\d\d \d\d:\d\d UTC to \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/);
    expect(JSON.parse(done.report!)).toMatchObject({ version: 1, config: { strategy: "sma-cross", candles: 500 } });
    expect(JSON.parse(done.summary!).fills).toBeGreaterThan(0);

    // DCA decides at every close (sma-cross skips the closes where it cannot act, and would finish too soon to cancel)
    const big = await queueBacktest(t.db, { ...form, name: "big", strategy: "dca", csv: csv(150_000) }, { quoteAmount: "0.001", intervalMinutes: "60" }, actor);
    await jobs.pass();
    const id = (big as { id: string }).id;
    await waitUntil("running with progress", async () => ((await t.db.backtestJob.findUniqueOrThrow({ where: { id } })).progress > 40 ? true : undefined), 30_000);
    await expect(deleteBacktest(t.db, id, actor)).rejects.toThrow('"big" is still running: cancel it first, then delete it.');
    await t.db.backtestJob.update({ where: { id }, data: { cancelAsked: true } });
    const cancelled = await waitUntil("cancelled", async () => {
      const j = await t.db.backtestJob.findUniqueOrThrow({ where: { id } });
      if (j.status !== "running" && j.status !== "cancelled") throw new Error(`ended ${j.status}: ${j.message}`);
      return j.status === "cancelled" ? j : undefined;
    }, 15_000);
    expect(cancelled.report).toBeNull();
    // a finished backtest is deleted with its report, and the audit log says who did it
    await deleteBacktest(t.db, id, actor);
    expect(await t.db.backtestJob.findUnique({ where: { id } })).toBeNull();
    expect(await t.db.auditEntry.findFirst({ where: { action: "backtest.delete", targetId: id } })).toMatchObject({ actorLabel: "test" });
    await expect(deleteBacktest(t.db, id, actor)).rejects.toThrow("That backtest does not exist (any more).");

    // a parameter sweep: every combination, one summary each, the best as the job's
    const sweep = await queueBacktest(t.db, { ...form, name: "sweep", csv: csv(800), sweep: "fast=2,3; slow=8,13" }, { fast: "3", slow: "9" }, actor);
    expect(sweep.ok).toBe(true);
    // a CSV the worker could not read is refused when queued, naming the line
    const bad = await queueBacktest(t.db, { ...form, name: "bad csv", csv: `${csv(3)}\n1700000000000,1,2,0.5,abc,1` }, { fast: "3", slow: "9" }, actor);
    expect(bad).toMatchObject({ ok: false, fieldErrors: { csv: ['Line 4: close must be a plain decimal number, not "abc".'] } });
    const minutes = await queueBacktest(t.db, { ...form, name: "wrong timeframe", csv: csv(20), timeframe: "1m" }, { fast: "3", slow: "9" }, actor);
    expect(minutes).toMatchObject({ ok: false, fieldErrors: { csv: ["The candles are 1h apart, but the timeframe is 1m: choose 1h, or use candles of 1m."] } });
    expect((await queueBacktest(t.db, { ...form, name: "bad sweep", csv: csv(10), sweep: "fast=5,50; slow=10" }, { fast: "3", slow: "9" }, actor)).ok).toBe(false); // fast 50 ≥ slow 10
    await jobs.pass();
    const swept = await waitUntil("the sweep", async () => {
      const j = await t.db.backtestJob.findUniqueOrThrow({ where: { id: (sweep as { id: string }).id } });
      return j.status === "done" ? j : undefined;
    }, 60_000);
    const results = (JSON.parse(swept.report!) as { results: { params: { fast: string; slow: string }; summary: { returnPct: number; fills: number } }[] }).results;
    expect(results.map((r) => `${r.params.fast}/${r.params.slow}`).sort()).toEqual(["2/13", "2/8", "3/13", "3/8"]);
    expect(JSON.parse(swept.summary!).returnPct).toBe(Math.max(...results.map((r) => r.summary.returnPct)));
    const best = results.find((r) => r.summary.returnPct === JSON.parse(swept.summary!).returnPct)!;
    expect(swept.message).toMatch(new RegExp(`^4 runs; the best return: fast=${best.params.fast} slow=${best.params.slow} \\(${best.summary.returnPct} %\\)\\. 800 candles from .+ UTC\\.$`));
    // one run of the sweep on its own: same candles and settings, that run's parameters — the same statistics, with a full report
    const alone = await queueSweepRun(t.db, swept.id, results.indexOf(best), actor);
    await jobs.pass();
    const aloneDone = await waitUntil("the run on its own", async () => {
      const j = await t.db.backtestJob.findUniqueOrThrow({ where: { id: alone } });
      return j.status === "done" ? j : undefined;
    }, 30_000);
    expect(aloneDone.name).toBe(`sweep fast=${best.params.fast} slow=${best.params.slow}`);
    expect(JSON.parse(aloneDone.summary!)).toEqual(best.summary);
    expect(JSON.parse(aloneDone.report!).fills.length).toBe(best.summary.fills);
    await expect(queueSweepRun(t.db, swept.id, 4, actor)).rejects.toThrow("That sweep has no such run.");

    // a sweep is cancelled as a single run is: its threads end, no report
    const long = await queueBacktest(t.db, { ...form, name: "long sweep", strategy: "dca", csv: csv(150_000), sweep: "quoteAmount=0.001,0.002,0.003,0.004" }, { quoteAmount: "0.001", intervalMinutes: "60" }, actor);
    await jobs.pass();
    const longId = (long as { id: string }).id;
    // under way in its threads (its first progress report); on a loaded machine their start alone takes seconds
    await waitUntil("the sweep running", async () => ((await t.db.backtestJob.findUniqueOrThrow({ where: { id: longId } })).progress > 0 ? true : undefined), 60_000);
    await t.db.backtestJob.update({ where: { id: longId }, data: { cancelAsked: true } });
    const sweepCancelled = await waitUntil("the sweep cancelled", async () => {
      const j = await t.db.backtestJob.findUniqueOrThrow({ where: { id: longId } });
      if (j.status !== "running" && j.status !== "cancelled") throw new Error(`ended ${j.status}: ${j.message}`);
      return j.status === "cancelled" ? j : undefined;
    }, 15_000);
    expect(sweepCancelled).toMatchObject({ message: "Cancelled.", report: null });

    // a job another worker was running when it died
    const orphan = await t.db.backtestJob.create({ data: { name: "orphan", config: "{}", status: "running", claimedBy: "w-dead", startedAt: new Date() } });
    await jobs.pass();
    const marked = await t.db.backtestJob.findUniqueOrThrow({ where: { id: orphan.id } });
    expect(marked.status).toBe("interrupted");
    expect(marked.message).toMatch(/Interrupted: the worker running it stopped/);
  }, 90_000);
});
