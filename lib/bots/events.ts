/**
 * The bot event stream (BotEvent rows): what pages, scripts (SSE) and alerts
 * read. Kinds are dotted, their first part is the stream type:
 *   bot.status bot.error · order.new order.update order.rejected order.transition-error ·
 *   trade · balance · risk.refused risk.stop · key.foreign-orders key.* · lease.acquired lease.released lease.lost
 * `data` is JSON and never holds a secret.
 */
import type { Db } from "../db/client";

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
 * lease nothing more is written, events included.
 */
export class EventBuffer {
  private pending: BotEventInput[] = [];

  push(e: BotEventInput): void {
    this.pending.push(e);
  }

  get size(): number {
    return this.pending.length;
  }

  async flush(db: Db, mayWrite: () => boolean = () => true): Promise<void> {
    if (!this.pending.length) return;
    const batch = this.pending;
    this.pending = [];
    if (!mayWrite()) return;
    await db.botEvent.createMany({ data: batch.map((e) => ({ botId: e.botId, keyId: e.keyId ?? null, level: e.level ?? "info", kind: e.kind, message: e.message.slice(0, 1000), data: JSON.stringify(e.data ?? {}) })) });
  }
}
