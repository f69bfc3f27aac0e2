import "server-only";
import { db } from "../db/client";
import { version } from "../version";

export interface Health {
  status: "ok" | "degraded" | "error";
  version: string;
  db: "ok" | "error";
  worker: { lastHeartbeatAgeMs: number | null; count: number };
}

/** Worker heartbeats older than this count as missing. */
export const staleHeartbeatMs = 15_000;

/** Public, unauthenticated: no secrets, no hostnames, no database URL. */
export async function getHealth(): Promise<Health> {
  try {
    const latest = await db().workerHeartbeat.findFirst({ orderBy: { lastBeatAt: "desc" } });
    const count = await db().workerHeartbeat.count({ where: { lastBeatAt: { gt: new Date(Date.now() - staleHeartbeatMs) } } });
    const age = latest ? Math.max(0, Date.now() - latest.lastBeatAt.getTime()) : null;
    return { status: age !== null && age < staleHeartbeatMs ? "ok" : "degraded", version, db: "ok", worker: { lastHeartbeatAgeMs: age, count } };
  } catch {
    return { status: "error", version, db: "error", worker: { lastHeartbeatAgeMs: null, count: 0 } };
  }
}
