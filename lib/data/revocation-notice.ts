import "server-only";
import { requireUser } from "../auth/request";
import { db } from "../db/client";
import { compromisedChecklist, revokeSteps } from "../keys/revoke-steps";

export interface RevocationNotice {
  label: string;
  botStopped: string | null;
  cancelReport: string | null;
  compromised: boolean;
  steps: string[];
}

/** What happened when a key was revoked, rebuilt from its audit entry (so it survives a reload). */
export async function revocationNotice(keyId: string): Promise<RevocationNotice | null> {
  await requireUser("viewer");
  const key = await db().exchangeKey.findUnique({ where: { id: keyId }, select: { exchange: true, status: true, statusMessage: true } });
  const entry = await db().auditEntry.findFirst({ where: { action: "key.revoke", targetType: "key", targetId: keyId }, orderBy: { id: "desc" } });
  if (!key || key.status !== "revoked" || !entry) return null;
  const d = JSON.parse(entry.detail) as { label?: string; botStopped?: string | null; cancelReport?: string | null; reason?: string | null };
  const compromised = d.reason === "Marked as possibly compromised";
  return { label: d.label ?? "", botStopped: d.botStopped ?? null, cancelReport: d.cancelReport ?? null, compromised, steps: [...revokeSteps(key.exchange), ...(compromised ? compromisedChecklist : [])] };
}
