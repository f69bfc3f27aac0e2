/**
 * The worker's pass over new bot events: each one that is an alert
 * (./from-events.ts) is raised, in the same transaction that moves the
 * cursor — a crash loses nothing and repeats nothing, and on PostgreSQL two
 * workers never both take the same events (the cursor moves by compare-and-swap).
 *
 * Ids are contiguous except where a transaction rolled back, but on PostgreSQL
 * a later id can commit before an earlier one: the pass stops at a gap until
 * the row after it is `gapWaitMs` old (as the live event feed does).
 */
import type { Db } from "../db/client";
import { alertsFromEvent, type EventRow } from "./from-events";
import { raiseAlert } from "./raise";

const cursorName = "events";
export const gapWaitMs = 5000;

export async function alertsFromNewEvents(db: Db, now = new Date(), take = 500): Promise<number> {
  const cursor = await db.alertCursor.findUnique({ where: { name: cursorName } });
  if (!cursor) {
    // a new install (or the first start with alerts) begins now, not with the whole history
    const last = await db.botEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
    await db.alertCursor.upsert({ where: { name: cursorName }, create: { name: cursorName, lastEventId: last?.id ?? 0 }, update: {} });
    return 0;
  }
  const rows = await db.botEvent.findMany({ where: { id: { gt: cursor.lastEventId } }, orderBy: { id: "asc" }, take, select: { id: true, botId: true, keyId: true, kind: true, message: true, data: true, createdAt: true } });
  const ready: EventRow[] = [];
  let expected = cursor.lastEventId + 1;
  for (const r of rows) {
    if (r.id !== expected && now.getTime() - r.createdAt.getTime() < gapWaitMs) break;
    ready.push(r);
    expected = r.id + 1;
  }
  if (!ready.length) return 0;
  const names = await namesFor(db, ready);
  const alerts = ready.flatMap((e) => alertsFromEvent(e, names));
  const upTo = ready[ready.length - 1]!.id;
  let raised = 0;
  await db.$transaction(async (tx) => {
    const moved = await tx.alertCursor.updateMany({ where: { name: cursorName, lastEventId: cursor.lastEventId }, data: { lastEventId: upTo } });
    if (moved.count !== 1) return; // another worker took these events
    for (const a of alerts) raised += await raiseAlert(tx, a, { now });
  });
  return raised;
}

async function namesFor(db: Db, events: EventRow[]) {
  const botIds = [...new Set(events.map((e) => e.botId).filter((x): x is string => !!x))];
  const keyIds = [...new Set(events.map((e) => e.keyId).filter((x): x is string => !!x))];
  const [bots, keys] = await Promise.all([
    botIds.length ? db.bot.findMany({ where: { id: { in: botIds } }, select: { id: true, name: true } }) : [],
    keyIds.length ? db.exchangeKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, label: true, maskedKeyId: true } }) : [],
  ]);
  return { bots: new Map(bots.map((b) => [b.id, b.name])), keys: new Map(keys.map((k) => [k.id, keyLabel(k)])) };
}

/** "label (key abcd…wxyz)": how alerts name a key — the masked id only. */
export function keyLabel(k: { label: string; maskedKeyId: string }): string {
  return `${k.label} (key ${k.maskedKeyId})`;
}
