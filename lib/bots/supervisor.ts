/**
 * The supervisor of one worker: reconciles what users asked for (Bot.desiredState,
 * the kill switch's cancelPending) with the runners it holds, like a
 * Kubernetes controller: level-triggered and idempotent, every second.
 *
 *  - A bot that should run (running or paused, or with orders to cancel, or
 *    marked active with no runner) is taken by its lease (lib/bots/lease.ts)
 *    and gets a Runner; a bot another worker holds is left alone.
 *  - Leases are renewed with the heartbeat; a renewal that finds the lease
 *    taken ends that runner at once (it writes and sends nothing more).
 *  - Each lease change is an event with the worker id and fencing token, so
 *    the history shows no bot with two owners at once.
 *  - Bots spread evenly over the live workers (heartbeats younger than
 *    `staleWorkerMs`): a worker takes no more than its fair share — bots that
 *    want a runner ÷ live workers, rounded up, plus one — and, when a worker
 *    joins, hands its surplus over gracefully (a few per pass), not taking
 *    them back for a while.
 *  - One scheduler drives every runner's ticks.
 */
import type { Db } from "../db/client";
import type { Logger } from "../log";
import type { Keyring } from "../vault/open";
import { recordEvent } from "./events";
import { acquireLease, releaseLease, renewLeases } from "./lease";
import { LeaseHold } from "./lease-hold";
import { MarketData } from "../exchange/market-data";
import { Runner, type BotRow, type RunnerContext } from "./runner";
import { Scheduler } from "./scheduler";

export interface SupervisorOptions {
  db: Db;
  log: Logger;
  workerId: string;
  demoUrl: string | undefined;
  keyring: () => Keyring;
  leaseTtlMs: number;
  /** a worker whose heartbeat is older than this is not counted as alive (default 15 s) */
  staleWorkerMs?: number;
  market?: MarketData;
  clock?: () => number;
  acceptWindowMs?: number;
  stalledAfterMs?: number;
  rejectionCooldownMs?: number;
  onTick?: RunnerContext["onTick"];
}

const activeStatuses = ["starting", "running", "pausing", "paused", "stopping"];

/** Whether a bot needs a runner somewhere. */
export function wantsRunner(b: { desiredState: string; cancelPending: boolean; status: string }): boolean {
  return b.desiredState === "running" || b.desiredState === "paused" || b.cancelPending || (activeStatuses.includes(b.status) && b.status !== "paused");
}

export class Supervisor {
  readonly runners = new Map<string, Runner>();
  /** each runner's end, lease released and recorded */
  private readonly endings = new Map<Runner, Promise<void>>();
  private readonly retryAt = new Map<string, { at: number; delayMs: number }>();
  private readonly scheduler: Scheduler;
  private readonly market: MarketData;
  private stopping = false;
  private passing: Promise<void> | null = null;
  /** bots handed to other workers, not to be taken back before this time */
  private readonly handedOver = new Map<string, number>();

  constructor(private readonly o: SupervisorOptions) {
    this.scheduler = new Scheduler(o.clock);
    this.market = o.market ?? new MarketData(o.demoUrl, 1000, o.clock);
  }

  private now(): number {
    return (this.o.clock ?? Date.now)();
  }

  private get runnerContext(): RunnerContext {
    const { db, log, workerId, demoUrl, keyring, clock, acceptWindowMs, stalledAfterMs, rejectionCooldownMs, onTick } = this.o;
    return { db, log, workerId, demoUrl, keyring, market: this.market, clock, acceptWindowMs, stalledAfterMs, rejectionCooldownMs, onTick };
  }

  /** One reconciliation pass (passes never overlap). */
  pass(): Promise<void> {
    this.passing ??= this.reconcile().finally(() => (this.passing = null));
    return this.passing;
  }

  private async reconcile(): Promise<void> {
    if (this.stopping) return;
    // only what the decisions need: a thousand bots are read every second
    const rows = await this.o.db.bot.findMany({
      where: { deletedAt: null, OR: [{ desiredState: { in: ["running", "paused"] } }, { cancelPending: true }, { status: { in: activeStatuses } }] },
      select: { id: true, desiredState: true, stopCancelsOrders: true, cancelPending: true, killSwitch: true, status: true, statusMessage: true, cancelAsks: true },
    });
    const fair = await this.fairShare(rows.filter(wantsRunner).length);
    for (const row of rows) {
      if (this.stopping) return;
      const runner = this.runners.get(row.id);
      if (runner) {
        if (runner.update(row) && runner.wake()) this.scheduleTick(runner, this.now());
        continue;
      }
      if (!wantsRunner(row) || (this.retryAt.get(row.id)?.at ?? 0) > this.now() || (this.handedOver.get(row.id) ?? 0) > this.now()) continue;
      if (this.runners.size >= fair) continue; // our share is full: the others take the rest
      await this.take(row.id);
    }
    await this.shedSurplus(fair);
  }

  /** How many bots this worker should hold at most: its share among the live workers, plus one. */
  private async fairShare(wanted: number): Promise<number> {
    const since = new Date(Date.now() - (this.o.staleWorkerMs ?? 15_000));
    const live = await this.o.db.workerHeartbeat.count({ where: { lastBeatAt: { gt: since }, workerId: { not: this.o.workerId } } });
    return live === 0 ? Infinity : Math.ceil(wanted / (live + 1)) + 1;
  }

  /** A new worker joined: hand over what is beyond our share, a few bots per pass. */
  private async shedSurplus(fair: number): Promise<void> {
    const surplus = this.runners.size - fair;
    if (surplus <= 0) return;
    const candidates = [...this.runners.values()].filter((r) => r.phase === "running" || r.phase === "paused").slice(0, Math.min(surplus, 5));
    await Promise.all(
      candidates.map(async (r) => {
        this.handedOver.set(r.botId, this.now() + 3 * this.o.leaseTtlMs);
        await r.shutdown(2000, "Handed over to another worker to share the load.");
      }),
    );
    for (const [botId, until] of this.handedOver) if (until < this.now()) this.handedOver.delete(botId);
  }

  private async take(botId: string): Promise<void> {
    const { db, workerId, leaseTtlMs } = this.o;
    const lease = await acquireLease(db, botId, workerId, leaseTtlMs);
    if (!lease) return; // another worker runs it
    const row = (await db.bot.findUnique({ where: { id: botId } })) as BotRow | null;
    if (!row) return;
    const runner = new Runner(this.runnerContext, row, new LeaseHold(lease, leaseTtlMs));
    this.runners.set(row.id, runner);
    await recordEvent(db, { botId: row.id, kind: "lease.acquired", message: `Worker ${workerId} took the bot (fencing token ${lease.fencingToken}).`, data: { workerId, fencingToken: lease.fencingToken } });
    this.endings.set(runner, runner.ended.then((end) => this.onEnded(runner, end)).finally(() => this.endings.delete(runner)));
    void runner.start().then(() => this.scheduleTick(runner, this.now()));
  }

  private scheduleTick(runner: Runner, at: number): void {
    if (runner.phase === "ended" || this.stopping) return;
    runner.nextTickAt = at;
    this.scheduler.at(at, () => {
      // superseded; or a tick is in flight (its own chain schedules the next), or the start is (it schedules the first)
      if (runner.nextTickAt !== at || runner.phase === "ended" || runner.phase === "starting" || runner.busy) return;
      void runner.tick().then(() => this.scheduleTick(runner, runner.nextTickAt));
    });
  }

  private async onEnded(runner: Runner, end: { retry: boolean; leaseLost: boolean }): Promise<void> {
    const { db, workerId } = this.o;
    await runner.settle(); // its last writes land before the lease is released
    if (this.runners.get(runner.botId) === runner) this.runners.delete(runner.botId);
    const lease = runner.hold.lease;
    if (end.retry) {
      const delayMs = Math.min(60_000, (this.retryAt.get(runner.botId)?.delayMs ?? 2500) * 2);
      this.retryAt.set(runner.botId, { at: this.now() + delayMs, delayMs });
    } else this.retryAt.delete(runner.botId);
    try {
      if (end.leaseLost) {
        this.o.log.warn({ botId: runner.botId, workerId, fencingToken: lease.fencingToken }, "lease lost");
        await recordEvent(db, { botId: runner.botId, level: "warn", kind: "lease.lost", message: `Worker ${workerId} lost the bot (fencing token ${lease.fencingToken}); it sends and writes nothing more for it.`, data: { workerId, fencingToken: lease.fencingToken } });
      } else {
        await releaseLease(db, lease);
        await recordEvent(db, { botId: runner.botId, kind: "lease.released", message: `Worker ${workerId} released the bot (fencing token ${lease.fencingToken}).`, data: { workerId, fencingToken: lease.fencingToken } });
      }
    } catch (err) {
      this.o.log.warn({ botId: runner.botId, err: (err as Error).message }, "could not record the end of a runner");
    }
  }

  /** Renews every lease this worker holds, in one statement; a runner whose lease was lost ends at once. */
  async renewLeases(): Promise<void> {
    const runners = [...this.runners.values()].filter((r) => r.phase !== "ended");
    if (!runners.length) return;
    const startedAt = performance.now();
    let renewed: Set<string>;
    try {
      renewed = await renewLeases(this.o.db, this.o.workerId, runners.map((r) => r.hold.lease), this.o.leaseTtlMs);
    } catch (err) {
      // the database is unreachable: the holds run out by themselves if this lasts
      this.o.log.warn({ err: (err as Error).message }, "lease renewal failed; will retry");
      return;
    }
    for (const r of runners) {
      if (renewed.has(r.botId)) r.hold.renewed(startedAt);
      else r.abort();
    }
  }

  /** Graceful stop: no new work; ticks in flight get `graceMs` to finish; leases released. */
  async stop(graceMs = 4000): Promise<void> {
    this.stopping = true;
    this.scheduler.stop();
    await this.passing?.catch(() => undefined);
    await Promise.all([...this.runners.values()].map((r) => r.shutdown(graceMs)));
    await Promise.all([...this.endings.values()]);
  }
}
