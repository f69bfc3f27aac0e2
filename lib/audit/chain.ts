/**
 * The audit log's hash chain (SECURITY.md 26): each entry's hash covers its
 * own fields and the previous entry's hash, so editing or deleting any entry
 * breaks every hash after it.
 */
import { createHash } from "node:crypto";

export const genesisHash = "0".repeat(64);

export interface AuditFields {
  at: Date;
  actorId: string | null;
  actorLabel: string;
  ip: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: string;
}

export function entryHash(prevHash: string, e: AuditFields): string {
  const canonical = JSON.stringify([prevHash, e.at.toISOString(), e.actorId, e.actorLabel, e.ip, e.action, e.targetType, e.targetId, e.detail]);
  return createHash("sha256").update(canonical, "utf8").digest("hex");
}
