/**
 * Revoking a key (SECURITY.md 23): stop the bound bot, optionally have the
 * worker cancel its open orders first (result reported), then destroy the
 * ciphertext locally — also when the exchange is down. The row stays, marked
 * revoked with its fingerprint, for the audit trail.
 *
 * Revocation acts on the exchange key, not on one row: every live row with
 * the same fingerprint is revoked with it (the database allows one; older
 * installations may have held copies until the upgrade merged them).
 */
import "server-only";
import { appendAudit } from "../audit/append";
import type { Actor } from "../auth/users";
import type { Db } from "../db/client";
import { botListChanged } from "../bot-settings/list-cache";
import { channels, notify } from "../db/notify";
import { NotFoundError } from "../errors";
import { revokeSteps } from "./revoke-steps";
import { askWorker } from "./worker-command";

export interface RevokeResult {
  label: string;
  botStopped: string | null;
  cancelReport: string | null;
  steps: string[];
}

type KeyWithBot = { id: string; label: string; fingerprint: string; bot: { id: string; name: string; symbol: string } | null };

/** Stops the row's bot and destroys its ciphertext; the row stays, revoked. */
export async function destroyKeyRow(db: Db, key: KeyWithBot, reason: string | null, botMessage: string): Promise<void> {
  if (key.bot) {
    await db.bot.update({ where: { id: key.bot.id }, data: { desiredState: "stopped", status: "stopped", statusMessage: botMessage } });
    botListChanged(db);
    await db.botEvent.create({ data: { botId: key.bot.id, keyId: key.id, level: "warn", kind: "bot.stopped", message: `Stopped because key "${key.label}" was revoked.` } });
  }
  await db.exchangeKey.update({
    where: { id: key.id },
    data: { apiKeySealed: null, secretSealed: null, passwordSealed: null, vaultKeyVersion: null, liveFingerprint: null, status: "revoked", revokedAt: new Date(), statusMessage: reason },
  });
}

export async function revokeKey(db: Db, keyId: string, opts: { cancelOrders: boolean; reason?: string; waitMs?: number }, actor: Actor): Promise<RevokeResult> {
  const key = await db.exchangeKey.findUnique({ where: { id: keyId } });
  if (!key || key.status === "revoked") throw new NotFoundError("That key does not exist or is already revoked.");
  const rows = await db.exchangeKey.findMany({ where: { fingerprint: key.fingerprint, status: { not: "revoked" } }, include: { bot: { select: { id: true, name: true, symbol: true } } }, orderBy: { createdAt: "asc" } });

  const reports: string[] = [];
  for (const row of rows) {
    // Stop first, so the bot places nothing new while its orders are being cancelled.
    if (row.bot) {
      await db.bot.update({ where: { id: row.bot.id }, data: { desiredState: "stopped" } });
      botListChanged(db);
      await notify(db, channels.bots, row.bot.id);
    }
    if (opts.cancelOrders && row.bot) reports.push(await cancelThroughWorker(db, row.id, row.bot.id, row.bot.symbol, opts.waitMs ?? 15_000, actor));
    await destroyKeyRow(db, row, opts.reason ?? null, "Stopped: its key was revoked.");
    await appendAudit(db, {
      actor, action: "key.revoke", ip: actor.ip, target: { type: "key", id: row.id },
      detail: { label: row.label, fingerprint: row.fingerprint.slice(0, 16), botStopped: row.bot?.name ?? null, cancelOrders: opts.cancelOrders, cancelReport: reports.at(-1) ?? null, reason: opts.reason ?? null, ...(row.id !== keyId ? { sameKeyAs: keyId } : {}) },
    });
  }
  const stopped = rows.flatMap((r) => (r.bot ? [r.bot.name] : []));
  return { label: key.label, botStopped: stopped.length ? stopped.join(", ") : null, cancelReport: reports.length ? reports.join(" ") : null, steps: revokeSteps(key.exchange) };
}

/** Asks the worker to cancel the bot's open orders and waits (bounded) for its answer. */
async function cancelThroughWorker(db: Db, keyId: string, botId: string, symbol: string, waitMs: number, actor: Actor): Promise<string> {
  const result = await askWorker(db, { kind: "cancel-all", keyId, botId, payload: { symbol }, createdById: actor.id }, waitMs);
  return result ?? `No worker answered within ${Math.round(waitMs / 1000)} s, so open orders were not cancelled; cancel them on the exchange.`;
}
