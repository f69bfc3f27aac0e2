/**
 * The step between a correct password and a completed sign-in. It is not a
 * session: validateSession never accepts its token, so every page, route
 * handler, server action and /api/v1 route treats its holder as signed out.
 * Only the second-factor step (or, when the policy demands one and the user
 * has none, enrolment) reads it. Expires after 5 minutes; used once.
 */
import "server-only";
import type { Db } from "../../db/client";
import type { ClientMeta } from "../sessions";
import { newToken, tokenHash } from "../tokens";

export const pendingTtlMs = 5 * 60_000;
export type PendingPurpose = "verify" | "enrol";

export interface PendingSignIn {
  id: string;
  purpose: PendingPurpose;
  user: { id: string; email: string; role: string };
}

export async function createPendingSignIn(db: Db, userId: string, purpose: PendingPurpose, meta: ClientMeta, now = new Date()): Promise<string> {
  const token = newToken();
  await db.pendingSignIn.deleteMany({ where: { expiresAt: { lt: now } } });
  await db.pendingSignIn.create({
    data: { tokenHash: tokenHash(token), userId, purpose, createdAt: now, expiresAt: new Date(now.getTime() + pendingTtlMs), ip: meta.ip, userAgent: meta.userAgent?.slice(0, 300) ?? null },
  });
  return token;
}

export async function validatePendingSignIn(db: Db, token: string | undefined, now = new Date()): Promise<PendingSignIn | null> {
  if (!token || token.length > 200) return null;
  const row = await db.pendingSignIn.findUnique({ where: { tokenHash: tokenHash(token) } });
  if (!row || row.consumedAt || row.expiresAt <= now) return null;
  const user = await db.user.findUnique({ where: { id: row.userId }, select: { id: true, email: true, role: true, disabledAt: true } });
  if (!user || user.disabledAt) return null;
  return { id: row.id, purpose: row.purpose as PendingPurpose, user: { id: user.id, email: user.email, role: user.role } };
}

/** Marks the step used; false when it already was (two tabs finishing at once: one wins). */
export async function consumePendingSignIn(db: Db, id: string, now = new Date()): Promise<boolean> {
  const res = await db.pendingSignIn.updateMany({ where: { id, consumedAt: null, expiresAt: { gt: now } }, data: { consumedAt: now } });
  return res.count === 1;
}
