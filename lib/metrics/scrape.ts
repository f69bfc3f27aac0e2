/**
 * What /metrics serves: this web process's metrics, every live worker's
 * (published with its heartbeat), and figures read from the database — bots by
 * status, worker heartbeat age — and from the live event feed: SSE clients and
 * how far the feed is behind the event table.
 */
import "server-only";
import { AggregatorRegistry, Gauge, Registry } from "prom-client";
import { db } from "../db/client";
import { staleHeartbeatMs } from "../data/health";
import { startedFeed } from "../live/feed-instance";
import { registry } from "./registry";

/** heartbeats older than this are a dead worker's: its metrics are left out (its age still shows) */
const deadAfterMs = 4 * staleHeartbeatMs;

export async function scrape(): Promise<{ contentType: string; body: string }> {
  const [byStatus, beats, newest] = await Promise.all([
    db().bot.groupBy({ by: ["status", "mode"], where: { deletedAt: null }, _count: { _all: true } }),
    db().workerHeartbeat.findMany({ select: { workerId: true, lastBeatAt: true, metrics: true } }),
    db().botEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true, createdAt: true } }),
  ]);
  const now = Date.now();
  const local = new Registry();
  const bots = new Gauge({ name: "keyward_bots", help: "Bots by status and mode", labelNames: ["status", "mode"] as const, registers: [local] });
  for (const s of byStatus) bots.set({ status: s.status, mode: s.mode }, s._count._all);
  const age = new Gauge({ name: "keyward_worker_heartbeat_age_seconds", help: "Seconds since each worker's last heartbeat", labelNames: ["worker"] as const, registers: [local] });
  for (const b of beats) age.set({ worker: b.workerId }, (now - b.lastBeatAt.getTime()) / 1000);
  const feed = startedFeed();
  new Gauge({ name: "keyward_sse_clients", help: "Live pages and scripts connected to the event stream of this web process", registers: [local] }).set(feed?.subscribers ?? 0);
  const lag = feed && newest && newest.id > feed.deliveredId && feed.subscribers > 0 ? (now - Math.max(newest.createdAt.getTime(), feed.lastDeliveredAt?.getTime() ?? 0)) / 1000 : 0;
  new Gauge({ name: "keyward_event_lag_seconds", help: "How long the newest bot event has waited for the event stream (0: delivered)", registers: [local] }).set(Math.max(0, lag));

  const workers = beats.filter((b) => now - b.lastBeatAt.getTime() < deadAfterMs).map((b) => JSON.parse(b.metrics) as Awaited<ReturnType<Registry["getMetricsAsJSON"]>>);
  const merged = AggregatorRegistry.aggregate([await registry.getMetricsAsJSON(), ...workers]);
  return { contentType: local.contentType, body: (await merged.metrics()) + (await local.metrics()) };
}
