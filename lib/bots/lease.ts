/**
 * Bot ownership across workers (DESIGN.md "Scale-out"): a lease row per bot
 * with an owner, an expiry and a fencing token, taken and renewed only by
 * conditional updates so two workers can never both hold it. The token grows
 * on every change of owner; a runner checks it (holdsLease) right before each
 * order, so a worker that lost its lease — paused, partitioned — cannot trade.
 */
import type { Db } from "../db/client";

export interface Lease {
  botId: string;
  owner: string;
  fencingToken: number;
  expiresAt: Date;
}

/** Takes the bot's lease if it is free or expired; renews it if `owner` already holds it. Null if someone else holds it. */
export async function acquireLease(db: Db, botId: string, owner: string, ttlMs: number, now = new Date()): Promise<Lease | null> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const mine = await db.lease.updateMany({ where: { botId, owner, expiresAt: { gt: now } }, data: { expiresAt } });
  if (mine.count === 0) {
    const taken = await db.lease.updateMany({ where: { botId, expiresAt: { lte: now } }, data: { owner, expiresAt, fencingToken: { increment: 1 } } });
    if (taken.count === 0) {
      try {
        await db.lease.create({ data: { botId, owner, expiresAt, fencingToken: 1 } });
      } catch (err) {
        if ((err as { code?: string }).code === "P2002") return null; // someone else created it first
        throw err;
      }
    }
  }
  const row = await db.lease.findUnique({ where: { botId } });
  return row && row.owner === owner && row.expiresAt.getTime() === expiresAt.getTime() ? row : null;
}

/** Extends a lease still held with the same token. False: it was lost. */
export async function renewLease(db: Db, lease: Lease, ttlMs: number, now = new Date()): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + ttlMs);
  const r = await db.lease.updateMany({ where: { botId: lease.botId, owner: lease.owner, fencingToken: lease.fencingToken, expiresAt: { gt: now } }, data: { expiresAt } });
  if (r.count === 1) lease.expiresAt = expiresAt;
  return r.count === 1;
}

/** The fencing check before an order: still ours, same token, not expired. */
export async function holdsLease(db: Db, lease: Lease, now = new Date()): Promise<boolean> {
  return (await db.lease.count({ where: { botId: lease.botId, owner: lease.owner, fencingToken: lease.fencingToken, expiresAt: { gt: now } } })) === 1;
}

/**
 * Gives the lease up at once (graceful stop), keeping the token so the next
 * owner's is higher. It is marked expired since always, not since now: a
 * renewal already under way read its clock before this, and "still valid at
 * my now" would otherwise extend the released lease again for a whole TTL
 * (a worker stopping on SIGTERM kept a bot from the next worker that long).
 */
export async function releaseLease(db: Db, lease: Lease): Promise<void> {
  await db.lease.updateMany({ where: { botId: lease.botId, owner: lease.owner, fencingToken: lease.fencingToken }, data: { expiresAt: new Date(0) } });
}

/**
 * Renews every lease `owner` holds among `leases` with one conditional
 * update (a worker with a thousand bots renews them in one statement). A
 * lease is renewed only if it is still ours with the same token and not yet
 * expired. Returns the bot ids whose lease was renewed; the others were lost.
 */
export async function renewLeases(db: Db, owner: string, leases: Lease[], ttlMs: number, now = new Date()): Promise<Set<string>> {
  const renewed = new Set<string>();
  const expiresAt = new Date(now.getTime() + ttlMs);
  for (let i = 0; i < leases.length; i += 500) {
    const chunk = leases.slice(i, i + 500);
    const r = await db.lease.updateMany({ where: { owner, botId: { in: chunk.map((l) => l.botId) }, expiresAt: { gt: now } }, data: { expiresAt } });
    if (r.count === chunk.length) {
      for (const l of chunk) renewed.add(l.botId);
    } else {
      // some were lost: see which are ours, with our token and the new expiry
      const rows = await db.lease.findMany({ where: { owner, botId: { in: chunk.map((l) => l.botId) }, expiresAt }, select: { botId: true, fencingToken: true } });
      for (const l of chunk) if (rows.some((row) => row.botId === l.botId && row.fencingToken === l.fencingToken)) renewed.add(l.botId);
    }
  }
  for (const l of leases) if (renewed.has(l.botId)) l.expiresAt = expiresAt;
  return renewed;
}
