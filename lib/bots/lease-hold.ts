/**
 * A runner's hold on its bot's lease, as this process sees it (fencing).
 *
 * The lease row (lib/bots/lease.ts) says who owns a bot; this object says
 * whether *we* may still act on it, judged by our own monotonic clock: only
 * until the last successful renewal plus the TTL, minus a safety margin, and
 * never after a renewal found the lease taken. `assertHeld()` is synchronous
 * and cheap, so it guards every exchange request at the moment it leaves
 * (installed in the ccxt instance's transport, see live-gateway.ts) and every
 * write of trading state. A process frozen past its TTL (SIGSTOP, a long GC, a
 * suspended VM) wakes up with an expired hold: its next request or write
 * throws FencingError instead of going out, whatever it was in the middle of.
 * A freeze between that check and a write's arrival at the database is caught
 * by the database: updates carry `leaseRow` in their WHERE, inserts go through
 * `fenced`.
 */
import type { Db } from "../db/client";
import type { Prisma } from "../db/generated/sqlite/client";
import type { Lease } from "./lease";

export class FencingError extends Error {
  override name = "FencingError";
}

export class LeaseHold {
  private renewedAt: number;
  private lost = false;

  constructor(
    readonly lease: Lease,
    private readonly ttlMs: number,
    /** the renewal must have started at least this long before the TTL runs out for us to act */
    private readonly marginMs = Math.min(3000, ttlMs / 4),
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.renewedAt = clock();
  }

  get fencingToken(): number {
    return this.lease.fencingToken;
  }

  /** Call with the monotonic time at which the successful renewal request started. */
  renewed(startedAt: number): void {
    if (!this.lost) this.renewedAt = Math.max(this.renewedAt, startedAt);
  }

  markLost(): void {
    this.lost = true;
  }

  held(): boolean {
    return !this.lost && this.clock() < this.renewedAt + this.ttlMs - this.marginMs;
  }

  assertHeld(): void {
    if (!this.held()) throw new FencingError(`the lease on bot ${this.lease.botId} (token ${this.lease.fencingToken}) is no longer held by this worker`);
  }

  /**
   * For a write's WHERE (the bot row's `lease`, an order row's `bot.lease`): the row matches only while
   * the lease row is still ours, so the database itself refuses the write of a runner that was frozen
   * between assertHeld() and the write while another worker took the bot.
   */
  get leaseRow() {
    return { is: { owner: this.lease.owner, fencingToken: this.lease.fencingToken } };
  }

  /** After a write fenced with `leaseRow`: no row written means the lease is someone else's now. */
  assertWritten(count: number): void {
    if (count > 0) return;
    this.markLost();
    throw new FencingError(`the lease on bot ${this.lease.botId} (token ${this.lease.fencingToken}) was taken by another worker; nothing written`);
  }

  /**
   * For new rows (a create has no WHERE): `writes` run in one transaction after an update of the lease
   * row where it is still ours. On PostgreSQL that row lock orders them before any takeover; on SQLite
   * there is one writer. A lease taken meanwhile writes nothing and throws FencingError, as assertWritten.
   * (A batch, not an interactive transaction: on the order path that was ~0.5 ms cheaper per order.)
   */
  async fenced<T extends unknown[]>(db: Db, writes: { [K in keyof T]: Prisma.PrismaPromise<T[K]> }): Promise<T> {
    this.assertHeld();
    const { botId, owner, fencingToken } = this.lease;
    try {
      const [, ...written] = await db.$transaction([db.lease.update({ where: { botId, owner, fencingToken }, data: { fencingToken }, select: { botId: true } }), ...writes]);
      return written as T;
    } catch (err) {
      const e = err as { code?: string; meta?: { modelName?: string } };
      if (e.code === "P2025" && e.meta?.modelName === "Lease") this.assertWritten(0); // the lease row is no longer ours
      throw err;
    }
  }
}
