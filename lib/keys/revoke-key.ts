/**
 * Revoking a key (SECURITY.md 23): stop the bound bot, optionally have the
 * worker cancel its open orders first (result reported), then destroy the
 * ciphertext locally — also when the exchange is down. The row stays, marked
 * revoked with its fingerprint, for the audit trail.
 */
import "server-only";
import { appendAudit } from "../audit/append";
import type { Actor } from "../auth/users";
import type { Db } from "../db/client";
import { revokeSteps } from "./revoke-steps";
import { askWorker } from "./worker-command";

export class KeyNotFoundError extends Error {
  override name = "KeyNotFoundError";
}

export interface RevokeResult {
  label: string;
  botStopped: string | null;
  cancelReport: string | null;
  steps: string[];
}

export async function revokeKey(db: Db, keyId: string, opts: { cancelOrders: boolean; reason?: string; waitMs?: number }, actor: Actor): Promise<RevokeResult> {
  const key = await db.exchangeKey.findUnique({ where: { id: keyId }, include: { bot: true } });
  if (!key || key.status === "revoked") throw new KeyNotFoundError("That key does not exist or is already revoked.");
  const bot = key.bot;
  if (bot) {
    await db.bot.update({ where: { id: bot.id }, data: { desiredState: "stopped", status: "stopped", statusMessage: "Stopped: its key was revoked." } });
    await db.botEvent.create({ data: { botId: bot.id, keyId, level: "warn", kind: "bot.stopped", message: `Stopped because key "${key.label}" was revoked.` } });
  }

  let cancelReport: string | null = null;
  if (opts.cancelOrders && bot) cancelReport = await cancelThroughWorker(db, keyId, bot.id, bot.symbol, opts.waitMs ?? 15_000, actor);

  await db.exchangeKey.update({
    where: { id: keyId },
    data: { apiKeySealed: null, secretSealed: null, passwordSealed: null, vaultKeyVersion: null, status: "revoked", revokedAt: new Date(), statusMessage: opts.reason ?? null },
  });
  await appendAudit(db, { actor, action: "key.revoke", ip: actor.ip, target: { type: "key", id: keyId }, detail: { label: key.label, fingerprint: key.fingerprint.slice(0, 16), botStopped: bot?.name ?? null, cancelOrders: opts.cancelOrders, cancelReport, reason: opts.reason ?? null } });
  return { label: key.label, botStopped: bot?.name ?? null, cancelReport, steps: revokeSteps(key.exchange) };
}

/** Asks the worker to cancel the bot's open orders and waits (bounded) for its answer. */
async function cancelThroughWorker(db: Db, keyId: string, botId: string, symbol: string, waitMs: number, actor: Actor): Promise<string> {
  const result = await askWorker(db, { kind: "cancel-all", keyId, botId, payload: { symbol }, createdById: actor.id }, waitMs);
  return result ?? `No worker answered within ${Math.round(waitMs / 1000)} s, so open orders were not cancelled; cancel them on the exchange.`;
}
