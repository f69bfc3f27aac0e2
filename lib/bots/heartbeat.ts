/**
 * Worker liveness: each worker upserts its row every few seconds; /api/health
 * reports the age of the freshest one.
 */
import os from "node:os";
import type { Db } from "../db/client";
import { version } from "../version";

export async function beat(db: Db, workerId: string, startedAt: Date): Promise<void> {
  const now = new Date();
  await db.workerHeartbeat.upsert({
    where: { workerId },
    create: { workerId, host: os.hostname(), pid: process.pid, version, startedAt, lastBeatAt: now },
    update: { lastBeatAt: now, pid: process.pid },
  });
}

export async function removeHeartbeat(db: Db, workerId: string): Promise<void> {
  await db.workerHeartbeat.deleteMany({ where: { workerId } });
}
