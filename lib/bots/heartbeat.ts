/**
 * Worker liveness: each worker upserts its row every few seconds; /api/health
 * reports the age of the freshest one and the overview flags stale ones. A
 * worker that died without removing its row (kill -9, a lost machine) is
 * forgotten after ten minutes.
 */
import os from "node:os";
import type { Db } from "../db/client";
import { version } from "../version";

/** `metrics`: the worker's Prometheus metrics as prom-client JSON, served by the web's /metrics. */
export async function beat(db: Db, workerId: string, startedAt: Date, metrics = "[]"): Promise<void> {
  const now = new Date();
  await db.workerHeartbeat.upsert({
    where: { workerId },
    create: { workerId, host: os.hostname(), pid: process.pid, version, startedAt, lastBeatAt: now, metrics },
    update: { lastBeatAt: now, pid: process.pid, metrics, downAlertedAt: null },
  });
  if (now.getTime() - lastPrunedAt > 60_000) {
    lastPrunedAt = now.getTime();
    await db.workerHeartbeat.deleteMany({ where: { lastBeatAt: { lt: new Date(now.getTime() - forgetDeadAfterMs) } } });
  }
}

const forgetDeadAfterMs = 10 * 60_000;
let lastPrunedAt = 0;

export async function removeHeartbeat(db: Db, workerId: string): Promise<void> {
  await db.workerHeartbeat.deleteMany({ where: { workerId } });
}
