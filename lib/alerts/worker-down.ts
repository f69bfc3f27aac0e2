/**
 * Watched by the web process, so that a dead worker cannot silence its own
 * alert: a worker with no heartbeat for 60 s raises `worker.down`, once (a
 * compare-and-swap on its heartbeat row decides which web process raises it).
 *
 * Secrets are opened only by workers. While no worker is alive, the web
 * sends what it can itself: alerts to channels that have no secret (a
 * webhook without a signing secret). Alerts to the others wait in the outbox
 * for a worker — another one on PostgreSQL, or the same one restarted.
 */
import type { Db } from "../db/client";
import { alertEvents } from "./catalog";
import { deliverDue } from "./deliver";
import { raiseAlert } from "./raise";
import type { PrivateAddressPolicy } from "./safe-address";

export const downAfterMs = 60_000;
const watchEveryMs = 5_000;

/** How recent a worker's last heartbeat must be for it to count as alive. */
const aliveWithinMs = 30_000;

/**
 * Where the bots set to run are now: a worker restarted by `npm start`, or another one on PostgreSQL, has
 * usually taken them over by the time the dead one is noticed; saying "they move…" then would be wrong.
 */
async function botsWithoutLiveWorker(db: Pick<Db, "workerHeartbeat" | "bot">, now: Date): Promise<string> {
  const alive = new Set((await db.workerHeartbeat.findMany({ where: { lastBeatAt: { gte: new Date(now.getTime() - aliveWithinMs) } }, select: { workerId: true } })).map((w) => w.workerId));
  const wanted = await db.bot.findMany({ where: { desiredState: { in: ["running", "paused"] } }, select: { name: true, workerId: true }, orderBy: { name: "asc" } });
  const orphaned = wanted.filter((b) => !b.workerId || !alive.has(b.workerId));
  if (!wanted.length) return "No bot is set to run.";
  if (!orphaned.length) return `Every bot set to run (${wanted.length}) is on a live worker now.`;
  const names = orphaned.slice(0, 5).map((b) => `"${b.name}"`).join(", ") + (orphaned.length > 5 ? ` and ${orphaned.length - 5} more` : "");
  return `${orphaned.length} of the ${wanted.length} bots set to run ha${orphaned.length === 1 ? "s" : "ve"} no live worker now (${names}): they move to a live worker when their lease expires; with none, they are not running.`;
}

export async function raiseWorkersDown(db: Db, now = new Date()): Promise<number> {
  const stale = await db.workerHeartbeat.findMany({ where: { lastBeatAt: { lt: new Date(now.getTime() - downAfterMs) }, downAlertedAt: null }, select: { workerId: true, host: true, pid: true, lastBeatAt: true } });
  let raised = 0;
  for (const w of stale) {
    await db.$transaction(async (tx) => {
      const mine = await tx.workerHeartbeat.updateMany({ where: { workerId: w.workerId, downAlertedAt: null, lastBeatAt: w.lastBeatAt }, data: { downAlertedAt: now } });
      if (mine.count !== 1) return;
      const seconds = Math.round((now.getTime() - w.lastBeatAt.getTime()) / 1000);
      const message = `Worker ${w.workerId} (pid ${w.pid} on ${w.host}) has sent no heartbeat for ${seconds} s. ${await botsWithoutLiveWorker(tx, now)} Check the process and its log.`;
      await tx.botEvent.create({ data: { botId: null, level: "error", kind: "worker.down", message, data: JSON.stringify({ workerId: w.workerId }) } });
      raised += await raiseAlert(tx, { event: "worker.down", severity: alertEvents["worker.down"].severity, subject: { type: "worker", id: w.workerId, label: `worker ${w.workerId}` }, message, link: "/", dedupeKey: `worker.down:${w.workerId}:${w.lastBeatAt.toISOString()}`, occurredAt: now }, { now });
    });
  }
  return raised;
}

/** The web's watch: worker.down, and the fallback sender while no worker lives. Returns a stop function. */
export function watchWorkers(db: Db, opts: { policy: PrivateAddressPolicy; baseUrl?: string; onError: (err: unknown) => void }): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await raiseWorkersDown(db);
      const alive = await db.workerHeartbeat.count({ where: { lastBeatAt: { gte: new Date(Date.now() - aliveWithinMs) } } });
      if (!alive) await deliverDue(db, { who: "web", policy: opts.policy, baseUrl: opts.baseUrl });
    } catch (err) {
      opts.onError(err);
    } finally {
      running = false;
    }
  }, watchEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}
