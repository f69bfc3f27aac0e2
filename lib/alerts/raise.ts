/**
 * Raising an alert: one outbox row per channel that subscribes to its event,
 * written before anything is sent (the channel may be down: nothing is lost).
 *
 * Rate limit, per channel and event:
 *  - the first alert is due at once;
 *  - the next ones go together, at most one message every 15 s (a burst of
 *    fills becomes one message, not one each);
 *  - past 10 alerts in 10 minutes, the rest wait for one digest, due 10
 *    minutes after the first alert of the window.
 */
import type { Db } from "../db/client";
import { isUniqueViolation } from "../errors";
import type { AlertInput } from "./catalog";

type Tx = Pick<Db, "alert" | "alertChannel">;

export const limits = { windowMs: 10 * 60_000, digestAfter: 10, batchGapMs: 15_000 };

export interface RaiseOptions {
  now?: Date;
  /** only these channels, whatever they subscribe to ("Send a test") */
  channelIds?: string[];
}

/**
 * The channels this alert would go to: those subscribed to its event (or `channelIds`, whatever they subscribe to),
 * added before `createdBefore` when given, that do not hold it yet.
 */
export async function waitingChannels(db: Tx, event: string, dedupeKey: string, only: { channelIds?: string[]; createdBefore?: Date } = {}): Promise<string[]> {
  const { channelIds, createdBefore } = only;
  const channels = await db.alertChannel.findMany({ where: { deletedAt: null, ...(channelIds ? { id: { in: channelIds } } : {}), ...(createdBefore ? { createdAt: { lt: createdBefore } } : {}) }, select: { id: true, events: true } });
  const waiting: string[] = [];
  for (const channel of channels) {
    if (!channelIds && !(JSON.parse(channel.events) as string[]).includes(event)) continue;
    if (await db.alert.findUnique({ where: { channelId_dedupeKey: { channelId: channel.id, dedupeKey } }, select: { id: true } })) continue;
    waiting.push(channel.id);
  }
  return waiting;
}

export async function raiseAlert(db: Tx, alert: AlertInput, opts: RaiseOptions = {}): Promise<number> {
  const now = opts.now ?? new Date();
  let raised = 0;
  for (const channelId of await waitingChannels(db, alert.event, alert.dedupeKey, { channelIds: opts.channelIds })) {
    const { digest, dueAt } = alert.event === "test" ? { digest: false, dueAt: now } : await schedule(db, channelId, alert.event, now);
    try {
      await db.alert.create({
        data: {
          channelId, event: alert.event, severity: alert.severity, subjectType: alert.subject.type, subjectId: alert.subject.id, subjectLabel: alert.subject.label,
          message: alert.message.slice(0, 2000), link: alert.link, dedupeKey: alert.dedupeKey, digest, dueAt, nextAttemptAt: dueAt, occurredAt: alert.occurredAt, createdAt: now,
        },
      });
      raised++;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err; // raised by another process meanwhile
    }
  }
  return raised;
}

async function schedule(db: Tx, channelId: string, event: string, now: Date): Promise<{ digest: boolean; dueAt: Date }> {
  const since = new Date(now.getTime() - limits.windowMs);
  const inWindow = { channelId, event, createdAt: { gte: since } };
  if ((await db.alert.count({ where: inWindow })) >= limits.digestAfter) {
    const open = await db.alert.findFirst({ where: { channelId, event, digest: true, status: "pending", dueAt: { gt: now } }, orderBy: { dueAt: "desc" }, select: { dueAt: true } });
    if (open) return { digest: true, dueAt: open.dueAt };
    const first = await db.alert.findFirst({ where: inWindow, orderBy: { createdAt: "asc" }, select: { createdAt: true } });
    return { digest: true, dueAt: new Date(Math.max(now.getTime(), (first?.createdAt.getTime() ?? now.getTime()) + limits.windowMs)) };
  }
  const previous = await db.alert.findFirst({ where: { ...inWindow, digest: false }, orderBy: { dueAt: "desc" }, select: { dueAt: true } });
  if (!previous) return { digest: false, dueAt: now };
  if (previous.dueAt > now) return { digest: false, dueAt: previous.dueAt }; // goes with the message already waiting
  return { digest: false, dueAt: new Date(Math.max(now.getTime(), previous.dueAt.getTime() + limits.batchGapMs)) };
}
