/**
 * One worker process: heartbeats now; later the supervisor of bot runners
 * (leases, commands, reconciliation — see DESIGN.md "Scale-out").
 */
import os from "node:os";
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client";
import type { Logger } from "../log";
import { beat, removeHeartbeat } from "./heartbeat";

export interface WorkerOptions {
  db: Db;
  log: Logger;
  heartbeatMs: number;
  workerId?: string;
}

export class Worker {
  readonly id: string;
  private readonly startedAt = new Date();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> = Promise.resolve();

  constructor(private readonly opts: WorkerOptions) {
    this.id = opts.workerId ?? `${os.hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  }

  async start(): Promise<void> {
    await beat(this.opts.db, this.id, this.startedAt);
    this.opts.log.info({ workerId: this.id }, "worker started");
    this.timer = setInterval(() => {
      this.ticking = this.tick();
    }, this.opts.heartbeatMs);
  }

  private async tick(): Promise<void> {
    try {
      await beat(this.opts.db, this.id, this.startedAt);
    } catch (err) {
      // A missed beat is not fatal: the database may be briefly busy.
      this.opts.log.warn({ err: errorSummary(err) }, "heartbeat failed; will retry");
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.ticking;
    await removeHeartbeat(this.opts.db, this.id).catch(() => {});
    this.opts.log.info({ workerId: this.id }, "worker stopped");
  }
}

/** Name and message only: never a whole error object that may carry request details. */
export function errorSummary(err: unknown): { name: string; message: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: "Error", message: String(err) };
}
