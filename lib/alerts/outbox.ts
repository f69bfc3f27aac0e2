/**
 * Taking due alerts out of the outbox and recording what became of them.
 * Claims are compare-and-swap updates with an expiry, so two senders (two
 * workers, or a worker and the web's fallback) never send one alert twice,
 * and a sender that died mid-send leaves its claim to expire, not to block.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../db/client";

export type AlertRow = Awaited<ReturnType<Db["alert"]["findMany"]>>[number];

export interface Batch {
  channelId: string;
  digest: boolean;
  alerts: AlertRow[];
}

/** Retries after a failed attempt: the first within 10 s, seven tries in the first hour, then up to 4 h apart. */
export const retryDelaysMs = [5_000, 30_000, 120_000, 300_000, 600_000, 1_200_000, 2_400_000, 3_600_000, 7_200_000, 14_400_000];
const claimMs = 60_000;

function dueWhere(now: Date) {
  return { OR: [{ status: "pending", nextAttemptAt: { lte: now } }, { status: "sending", claimedUntil: { lt: now } }] };
}

/**
 * Claims what is due, grouped into messages: one per channel, event and
 * digest flag. `secretless`: only channels without a secret (the web's
 * fallback sender, which cannot open the vault).
 */
export async function claimDue(db: Db, who: string, now: Date, opts: { secretless?: boolean; limit?: number } = {}): Promise<{ claimer: string; batches: Batch[] }> {
  const claimer = `${who}:${randomBytes(4).toString("hex")}`;
  const where = { ...dueWhere(now), channel: { is: { deletedAt: null, ...(opts.secretless ? { secretSealed: null } : {}) } } };
  const due = await db.alert.findMany({ where, orderBy: { createdAt: "asc" }, take: opts.limit ?? 200, select: { id: true } });
  if (!due.length) return { claimer, batches: [] };
  await db.alert.updateMany({ where: { id: { in: due.map((d) => d.id) }, ...dueWhere(now) }, data: { status: "sending", claimedBy: claimer, claimedUntil: new Date(now.getTime() + claimMs) } });
  const mine = await db.alert.findMany({ where: { claimedBy: claimer, status: "sending" }, orderBy: { createdAt: "asc" } });
  const batches = new Map<string, Batch>();
  for (const a of mine) {
    const key = `${a.channelId} ${a.event} ${a.digest}`;
    if (!batches.has(key)) batches.set(key, { channelId: a.channelId, digest: a.digest, alerts: [] });
    batches.get(key)!.alerts.push(a);
  }
  return { claimer, batches: [...batches.values()] };
}

export async function markSent(db: Db, batch: Batch, claimer: string, now: Date): Promise<void> {
  await db.alert.updateMany({ where: { id: { in: batch.alerts.map((a) => a.id) }, claimedBy: claimer }, data: { status: "sent", sentAt: now, attempts: { increment: 1 }, claimedUntil: null } });
}

/** A failed attempt: retried later, or given up after the last retry. `error` must hold no secret. */
export async function markFailed(db: Db, batch: Batch, claimer: string, now: Date, error: string): Promise<void> {
  for (const a of batch.alerts) {
    const attempts = a.attempts + 1;
    const delay = retryDelaysMs[attempts - 1];
    await db.alert.updateMany({
      where: { id: a.id, claimedBy: claimer },
      data: { attempts, lastError: error.slice(0, 500), claimedUntil: null, status: delay === undefined ? "failed" : "pending", nextAttemptAt: new Date(now.getTime() + (delay ?? 0)) },
    });
  }
}

/** A deleted channel's alerts are not sent. */
export async function cancelPending(db: Db, channelId: string): Promise<void> {
  await db.alert.updateMany({ where: { channelId, status: { in: ["pending", "sending"] } }, data: { status: "canceled", lastError: "The channel was deleted." } });
}
