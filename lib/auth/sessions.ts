/**
 * Database-backed sessions (SECURITY.md 13). The cookie holds a 256-bit
 * random token; only its SHA-256 is stored. Idle and absolute timeouts are
 * enforced here, on every request.
 */
import "server-only";
import type { Db } from "../db/client";
import { sessionPolicy } from "./policy";
import { newToken, tokenHash } from "./tokens";

export interface ClientMeta {
  ip: string | null;
  userAgent: string | null;
}

export interface SessionUser {
  id: string;
  email: string;
  role: string;
}

export interface ValidSession {
  sessionId: string;
  reauthAt: Date | null;
  user: SessionUser;
}

export async function createSession(db: Db, userId: string, meta: ClientMeta, now = new Date()): Promise<string> {
  const token = newToken();
  await db.session.create({
    data: {
      tokenHash: tokenHash(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + sessionPolicy.absoluteMs),
      reauthAt: now, // the password was just entered
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300) ?? null,
    },
  });
  return token;
}

export async function validateSession(db: Db, token: string | undefined, now = new Date()): Promise<ValidSession | null> {
  if (!token || token.length > 200) return null;
  const s = await db.session.findUnique({ where: { tokenHash: tokenHash(token) }, include: { user: { select: { id: true, email: true, role: true, disabledAt: true } } } });
  if (!s || s.revokedAt || s.user.disabledAt) return null;
  if (s.expiresAt <= now || now.getTime() - s.lastSeenAt.getTime() > sessionPolicy.idleMs) return null;
  if (now.getTime() - s.lastSeenAt.getTime() > sessionPolicy.touchEveryMs) {
    await db.session.update({ where: { id: s.id }, data: { lastSeenAt: now } });
  }
  return { sessionId: s.id, reauthAt: s.reauthAt, user: { id: s.user.id, email: s.user.email, role: s.user.role } };
}

export async function revokeSession(db: Db, sessionId: string, userId: string): Promise<boolean> {
  const res = await db.session.updateMany({ where: { id: sessionId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  return res.count > 0;
}

/** Ends every session of a user except `keep` (password change, role change, disable). */
export async function revokeOtherSessions(db: Db, userId: string, keep?: string): Promise<number> {
  const res = await db.session.updateMany({ where: { userId, revokedAt: null, ...(keep ? { id: { not: keep } } : {}) }, data: { revokedAt: new Date() } });
  return res.count;
}

export function hasFreshAuth(session: Pick<ValidSession, "reauthAt">, now = new Date()): boolean {
  return !!session.reauthAt && now.getTime() - session.reauthAt.getTime() <= sessionPolicy.reauthMs;
}
