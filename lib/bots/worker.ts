/**
 * One worker process: heartbeat, commands from the web (cancel-all,
 * recheck-key, vault rotation), periodic key re-verification, and the
 * supervisor of bot runners (lib/bots/supervisor.ts): a reconciliation pass
 * every second, lease renewal several times per lease TTL.
 */
import os from "node:os";
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import { registry } from "../metrics/registry";
import { loadVault } from "../vault/keyring";
import type { Keyring } from "../vault/open";
import { channels, listen, type Listener } from "../db/notify";
import { alertsFromNewEvents } from "../alerts/event-pass";
import { channelSecretOpener } from "../alerts/channel-secret";
import { deliverDue } from "../alerts/deliver";
import type { PrivateAddressPolicy } from "../alerts/safe-address";
import { dailySummary, expiringKeys } from "../alerts/scheduled";
import { BacktestJobs } from "../backtest/jobs";
import { processCommands } from "./commands";
import { forgetOld } from "./retention";
import { beat, removeHeartbeat } from "./heartbeat";
import { recheckKey, staleKeys } from "./recheck-key";
import { Supervisor } from "./supervisor";

export interface WorkerOptions {
  db: Db;
  log: Logger;
  heartbeatMs: number;
  keyring: Keyring;
  vaultFile: string;
  demoUrl: string | undefined;
  workerId?: string;
  leaseTtlMs?: number;
  /** for LISTEN/NOTIFY wake-ups on PostgreSQL */
  databaseUrl?: string;
  /** days of bot events and finished alert deliveries kept (./retention.ts) */
  retentionDays?: number;
  /** alert delivery (lib/alerts): which private addresses channels may use, the base of links */
  alerts?: { policy: PrivateAddressPolicy; baseUrl?: string };
}

export class Worker {
  readonly id: string;
  private readonly startedAt = new Date();
  private timers: NodeJS.Timeout[] = [];
  private working: Promise<void> | undefined;
  private keyring: Keyring;
  readonly supervisor: Supervisor;
  private readonly leaseTtlMs: number;
  private listener: Listener | undefined;

  constructor(private readonly opts: WorkerOptions) {
    this.id = opts.workerId ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
    this.keyring = opts.keyring;
    this.leaseTtlMs = opts.leaseTtlMs ?? 15_000;
    this.backtests = new BacktestJobs({ db: opts.db, workerId: this.id, demoUrl: opts.demoUrl, log: opts.log, staleWorkerMs: Math.max(30_000, 10 * opts.heartbeatMs) });
    this.supervisor = new Supervisor({ db: opts.db, log: opts.log, workerId: this.id, demoUrl: opts.demoUrl, keyring: () => this.keyring, leaseTtlMs: this.leaseTtlMs, staleWorkerMs: Math.max(5000, 5 * opts.heartbeatMs) });
  }

  async start(): Promise<void> {
    registry.setDefaultLabels({ worker: this.id }); // one process, one worker: its metrics say which
    await beat(this.opts.db, this.id, this.startedAt);
    this.opts.log.info({ workerId: this.id }, "worker started");
    // The heartbeat has its own timer so a slow exchange call never makes the worker look dead.
    this.timers.push(setInterval(() => void this.beat(), this.opts.heartbeatMs));
    this.timers.push(
      setInterval(() => {
        this.working ??= this.work().finally(() => (this.working = undefined)); // one pass at a time
      }, Math.min(this.opts.heartbeatMs, 1000)),
    );
    this.timers.push(setInterval(() => void this.supervise(), 1000));
    // on PostgreSQL the web's NOTIFY wakes the supervisor at once (on SQLite the pass above polls)
    if (this.opts.databaseUrl) this.listener = listen(this.opts.databaseUrl, channels.bots, () => void this.supervise(), (err) => this.opts.log.warn({ err: errorSummary(err) }, "LISTEN connection lost; reconnecting"));
    // leases are renewed well within their TTL, whatever the heartbeat interval
    this.timers.push(setInterval(() => void this.supervisor.renewLeases(), Math.min(this.opts.heartbeatMs, this.leaseTtlMs / 5)));
    this.timers.push(setInterval(() => void this.once("alerts", () => this.alerts()), 1000));
    this.timers.push(setInterval(() => void this.once("scheduled alerts", () => this.scheduledAlerts()), 60_000));
    this.timers.push(setInterval(() => void this.once("backtests", () => this.backtests.pass()), 1000));
    // hourly, and a minute after the start: a worker restarted more often than hourly still forgets
    const forget = () => void this.once("retention", () => forgetOld(this.opts.db, this.opts.retentionDays ?? 90));
    this.timers.push(setTimeout(forget, 60_000), setInterval(forget, 3_600_000));
    void this.supervise();
  }

  private readonly busy = new Map<string, Promise<void>>();
  /** Runs `task` unless the previous run of the same name is still going; a failure is logged and retried next time. */
  private once(name: string, task: () => Promise<unknown>): Promise<void> {
    if (this.busy.has(name)) return this.busy.get(name)!;
    const run = task()
      .then(() => undefined, (err: unknown) => this.opts.log.warn({ err: errorSummary(err) }, `${name} pass failed; will retry`))
      .finally(() => this.busy.delete(name));
    this.busy.set(name, run);
    return run;
  }

  /** Bot events become alerts; due alerts are sent (this worker opens the channels' secrets). */
  private async alerts(): Promise<void> {
    const { db, alerts } = this.opts;
    await alertsFromNewEvents(db);
    await deliverDue(db, { who: this.id, policy: alerts?.policy ?? "loopback", baseUrl: alerts?.baseUrl, openSecret: this.openSecret });
  }

  private readonly openSecret = channelSecretOpener(() => this.keyring);
  private readonly backtests: BacktestJobs;

  private async scheduledAlerts(): Promise<void> {
    await expiringKeys(this.opts.db);
    await dailySummary(this.opts.db);
  }

  private async supervise(): Promise<void> {
    try {
      await this.supervisor.pass();
    } catch (err) {
      this.opts.log.warn({ err: errorSummary(err) }, "supervisor pass failed; will retry");
    }
  }

  private async beat(): Promise<void> {
    try {
      await beat(this.opts.db, this.id, this.startedAt, JSON.stringify(await registry.getMetricsAsJSON()));
    } catch (err) {
      this.opts.log.warn({ err: errorSummary(err) }, "heartbeat failed; will retry");
    }
  }

  private async work(): Promise<void> {
    const { db, log, demoUrl, vaultFile } = this.opts;
    try {
      // Another process may have rotated the vault: pick up a primary version this keyring lacks.
      const primary = await db.vaultKey.findFirst({ where: { status: "primary" }, select: { version: true } });
      if (primary && !this.keyring.has(primary.version)) this.keyring = (await loadVault(db, vaultFile)).keyring;
      const ctx = { db, keyring: this.keyring, vaultFile, demoUrl, log, workerId: this.id };
      await processCommands(ctx);
      this.keyring = ctx.keyring;
      const keyring = this.keyring;
      for (const keyId of await staleKeys(db)) {
        const result = await recheckKey({ db, keyring, demoUrl }, keyId);
        log.info({ keyId, result }, "scheduled key re-check");
      }
    } catch (err) {
      // Not fatal: the database may be briefly busy; the next pass retries.
      log.warn({ err: errorSummary(err) }, "worker pass failed; will retry");
    }
  }

  /** Graceful: no new work, runners get `graceMs` for ticks in flight, leases released. */
  async stop(graceMs = 4000): Promise<void> {
    for (const t of this.timers) clearInterval(t); // clears the timeout too (Node keeps one kind of timer)
    await this.listener?.close();
    await this.supervisor.stop(graceMs);
    this.backtests.stop();
    await this.working;
    await Promise.all(this.busy.values());
    await removeHeartbeat(this.opts.db, this.id).catch(() => {});
    this.opts.log.info({ workerId: this.id }, "worker stopped");
  }
}

/** Name and message only: never a whole error object that may carry request details. */
export function errorSummary(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: "Error", message: String(err) };
}
