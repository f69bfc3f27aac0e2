/**
 * What the worker forgets, once an hour: bot events older than
 * EVENT_RETENTION_DAYS (default 90) and alert deliveries finished that long
 * ago; and, of the balance rows that old, the ones that only repeat the row
 * before them. Orders, fills, balance changes and the equity curve are the
 * bots' financial history and are kept. Deleted in batches, so a large backlog
 * never holds a long lock on SQLite.
 */
import type { Db } from "../db/client";

const batch = 5000;
const day = 86_400_000;
/** the first UTC day whose balance rows are not thinned yet */
const thinnedUntilKey = "retention.balanceRowsThinnedUntil";

export async function forgetOld(db: Db, retentionDays: number, now = new Date()): Promise<{ events: number; alerts: number; balances: number }> {
  const cutoff = new Date(now.getTime() - retentionDays * day);
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
  return { events, alerts, balances: await thinBalanceRows(db, cutoff) };
}

/**
 * A runner stores a bot's balances when they change and, unchanged, once a
 * minute (a sign of life): 1,440 rows a day per currency. Of whole UTC days
 * before `cutoff`, each bot's first row of the day per currency is kept, and
 * every row that differs from the one before it; the rest go. Days are done
 * once (a watermark in Setting); the first pass starts at the oldest row.
 */
async function thinBalanceRows(db: Db, cutoff: Date): Promise<number> {
  const end = Math.floor(cutoff.getTime() / day) * day;
  const mark = await db.setting.findUnique({ where: { key: thinnedUntilKey } });
  const oldest = mark ? null : await db.balanceSnapshot.findFirst({ orderBy: { takenAt: "asc" }, select: { takenAt: true } });
  let from = mark ? new Date(mark.value).getTime() : oldest ? Math.floor(oldest.takenAt.getTime() / day) * day : end;
  const bots = from < end ? (await db.bot.findMany({ select: { id: true } })).map((b) => b.id) : [];
  let deleted = 0;
  for (; from < end; from += day) {
    deleted += await thinDay(db, bots, new Date(from), new Date(from + day));
    const value = new Date(from + day).toISOString();
    await db.setting.upsert({ where: { key: thinnedUntilKey }, create: { key: thinnedUntilKey, value }, update: { value } });
  }
  return deleted;
}

/** One UTC day of every bot's rows (through the botId-and-time index; every row has a bot), compared per key, currency and mode. */
async function thinDay(db: Db, bots: string[], from: Date, to: Date): Promise<number> {
  let deleted = 0;
  for (const botId of bots) {
    const rows = await db.balanceSnapshot.findMany({ where: { botId, takenAt: { gte: from, lt: to } }, orderBy: [{ takenAt: "asc" }, { id: "asc" }], select: { id: true, keyId: true, currency: true, paper: true, free: true, used: true, total: true } });
    const last = new Map<string, (typeof rows)[number]>();
    const repeats: string[] = [];
    for (const r of rows) {
      const series = `${r.keyId} ${r.currency} ${r.paper}`;
      const before = last.get(series);
      if (before && before.free === r.free && before.used === r.used && before.total === r.total) repeats.push(r.id);
      last.set(series, r);
    }
    for (let i = 0; i < repeats.length; i += batch) deleted += (await db.balanceSnapshot.deleteMany({ where: { id: { in: repeats.slice(i, i + batch) } } })).count;
  }
  return deleted;
}
