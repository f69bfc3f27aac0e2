/**
 * What the worker forgets, once an hour: bot events older than
 * EVENT_RETENTION_DAYS (default 90) and alert deliveries finished that long
 * ago. Orders, fills, balances and the equity curve are the bots' financial
 * history and are kept. Deleted in batches, so a large backlog never holds a
 * long lock on SQLite.
 */
import type { Db } from "../db/client";

const batch = 5000;

export async function forgetOld(db: Db, retentionDays: number, now = new Date()): Promise<{ events: number; alerts: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
  let events = 0;
  for (;;) {
    const ids = (await db.botEvent.findMany({ where: { createdAt: { lt: cutoff } }, select: { id: true }, orderBy: { id: "asc" }, take: batch })).map((e) => e.id);
    if (!ids.length) break;
    events += (await db.botEvent.deleteMany({ where: { id: { in: ids } } })).count;
  }
  let alerts = 0;
  for (;;) {
    const ids = (await db.alert.findMany({ where: { createdAt: { lt: cutoff }, status: { in: ["sent", "failed", "canceled"] } }, select: { id: true }, take: batch })).map((a) => a.id);
    if (!ids.length) break;
    alerts += (await db.alert.deleteMany({ where: { id: { in: ids } } })).count;
  }
  return { events, alerts };
}
