import "server-only";
import { requireUser } from "../auth/request";
import { db } from "../db/client";
import { staleHeartbeatMs } from "./health";
import { activeKeyWarnings } from "./list-keys";

export interface Overview {
  activeKeys: number;
  withdrawKeys: number;
  unrestrictedKeys: number;
  bots: number;
  runningBots: number;
  pausedBots: number;
  recentWarnings: { id: number; at: Date; message: string }[];
  workers: { workerId: string; host: string; bots: number; heartbeatAgeMs: number; stale: boolean }[];
}

export async function overview(): Promise<Overview> {
  await requireUser("viewer");
  const [activeKeys, warnings, bots, runningBots, pausedBots, events] = await Promise.all([
    db().exchangeKey.count({ where: { status: "active" } }),
    activeKeyWarnings(),
    db().bot.count({ where: { deletedAt: null } }),
    db().bot.count({ where: { deletedAt: null, status: "running" } }),
    db().bot.count({ where: { deletedAt: null, status: "paused" } }),
    db().botEvent.findMany({ where: { level: { in: ["warn", "error"] } }, orderBy: { id: "desc" }, take: 5 }),
  ]);
  return { activeKeys, withdrawKeys: warnings.withdraw, unrestrictedKeys: warnings.unrestricted, bots, runningBots, pausedBots, recentWarnings: events.map((e) => ({ id: e.id, at: e.createdAt, message: e.message })), workers: await workers() };
}

/** Each worker with how many bots it runs and how old its heartbeat is. */
async function workers(): Promise<Overview["workers"]> {
  const [beats, counts] = await Promise.all([
    db().workerHeartbeat.findMany({ orderBy: { startedAt: "asc" } }),
    db().bot.groupBy({ by: ["workerId"], where: { deletedAt: null, workerId: { not: null }, status: { in: ["starting", "running", "pausing", "paused", "stopping"] } }, _count: { _all: true } }),
  ]);
  const now = Date.now();
  return beats.map((b) => {
    const age = Math.max(0, now - b.lastBeatAt.getTime());
    return { workerId: b.workerId, host: b.host, bots: counts.find((c) => c.workerId === b.workerId)?._count._all ?? 0, heartbeatAgeMs: age, stale: age > staleHeartbeatMs };
  });
}
