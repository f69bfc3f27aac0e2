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
