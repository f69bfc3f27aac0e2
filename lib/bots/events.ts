/**
 * The bot event stream (BotEvent rows): what pages, scripts (SSE) and alerts
 * read. Kinds are dotted, their first part is the stream type:
 *   bot.status bot.error · order.new order.update order.rejected order.transition-error ·
 *   trade · balance · risk.refused risk.stop · key.foreign-orders key.* · lease.acquired lease.released lease.lost
 * `data` is JSON and never holds a secret.
 */
import type { Db } from "../db/client";
import type { LeaseHold } from "./lease-hold";

export type EventLevel = "info" | "warn" | "error";

export interface BotEventInput {
  botId: string | null;
  keyId?: string | null;
  level?: EventLevel;
  kind: string;
  message: string;
  data?: Record<string, unknown>;
}

export async function recordEvent(db: Db, e: BotEventInput): Promise<void> {
  await db.botEvent.create({ data: { botId: e.botId, keyId: e.keyId ?? null, level: e.level ?? "info", kind: e.kind, message: e.message.slice(0, 1000), data: JSON.stringify(e.data ?? {}) } });
}

/**
 * A runner's events, written together at the end of its tick (one insert
 * instead of one per event), and only while its lease is held: after a lost
 * lease nothing more is written, events included. The hold is checked by this
 * process's clock (cheap), then against the lease row in the insert's own
 * transaction (LeaseHold.fenced): a process frozen between the first check and
 * the insert (SIGSTOP, a suspended VM) must not write once another worker has
 * taken the bot (the SIGSTOP drill caught two such events).
 */
export class EventBuffer {
  private pending: BotEventInput[] = [];

  push(e: BotEventInput): void {
    this.pending.push(e);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Writes what was pushed; with `hold`, only while it holds the bot's lease (else the events are dropped; FencingError when the row says so). */
  async flush(db: Db, hold?: LeaseHold): Promise<void> {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    const data = batch.map((e) => ({ botId: e.botId, keyId: e.keyId ?? null, level: e.level ?? "info", kind: e.kind, message: e.message.slice(0, 1000), data: JSON.stringify(e.data ?? {}) }));
    if (!hold) return void (await db.botEvent.createMany({ data }));
    if (hold.held()) await hold.fenced(db, [db.botEvent.createMany({ data })]);
  }
}
