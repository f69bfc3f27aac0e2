/**
 * Upgrade step (after the migration that added ExchangeKey.liveFingerprint):
 * gives every live key its unique live fingerprint, oldest first. Where an
 * older installation stored one exchange key several times, the oldest row
 * keeps it and each later copy is revoked (its bot stopped, its ciphertext
 * destroyed) and audited. Idempotent and safe to run from several processes
 * at once: the unique constraint decides, and a no-op when nothing is pending.
 */
import "server-only";
import { appendAudit } from "../audit/append";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../errors";
import { destroyKeyRow } from "./revoke-key";

const upgrade = { id: null, label: "upgrade" };

export async function claimLiveFingerprints(db: Db): Promise<{ claimed: number; revokedDuplicates: number }> {
  const pending = await db.exchangeKey.findMany({
    where: { status: { not: "revoked" }, liveFingerprint: null },
    include: { bot: { select: { id: true, name: true, symbol: true } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  let claimed = 0;
  let revokedDuplicates = 0;
  for (const key of pending) {
    try {
      claimed += (await db.exchangeKey.updateMany({ where: { id: key.id, liveFingerprint: null, status: { not: "revoked" } }, data: { liveFingerprint: key.fingerprint } })).count;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      const kept = await db.exchangeKey.findUniqueOrThrow({ where: { liveFingerprint: key.fingerprint }, select: { id: true, label: true } });
      const reason = `Revoked at upgrade: the same exchange key is stored as "${kept.label}", which is kept.`;
      await destroyKeyRow(db, key, reason, `Stopped at upgrade: its key was a second copy of "${kept.label}". Rotate this bot to a key of its own.`);
      await appendAudit(db, { actor: upgrade, action: "key.revoke-duplicate", target: { type: "key", id: key.id }, detail: { label: key.label, keptKeyId: kept.id, keptLabel: kept.label, botStopped: key.bot?.name ?? null } });
      revokedDuplicates++;
    }
  }
  return { claimed, revokedDuplicates };
}
