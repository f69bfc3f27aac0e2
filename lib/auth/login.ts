/**
 * Password login (SECURITY.md 10–12): one answer for unknown user and wrong
 * password, a dummy argon2 verify for unknown users, per-account throttling
 * with growing delay and no argon2 work while blocked, rehash when weak.
 */
import "server-only";
import { appendAudit } from "../audit/append";
import type { Db } from "../db/client";
import { burnDummyVerify, hashPassword, needsRehash, verifyPassword } from "./password";
import { blockDelayMs, throttlePolicy } from "./policy";
import { createSession, type ClientMeta } from "./sessions";

export type LoginResult = { ok: true; token: string; userId: string } | { ok: false };

export const loginFailedMessage = "Email or password is incorrect, or there were too many attempts. Check them and try again in a moment.";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function login(db: Db, emailInput: string, password: string, meta: ClientMeta, now = new Date()): Promise<LoginResult> {
  const email = normalizeEmail(emailInput);
  const user = await db.user.findUnique({ where: { email }, omit: { passwordHash: false } });
  const fail = async (reason: string, userId: string | null) => {
    await appendAudit(db, { actor: { id: userId, label: email.slice(0, 200) }, action: "login.fail", ip: meta.ip, detail: { reason } });
    return { ok: false } as const;
  };

  if (!user || user.disabledAt) {
    await burnDummyVerify(password);
    return fail(user ? "disabled" : "unknown user", user?.id ?? null);
  }
  if (user.blockedUntil && user.blockedUntil > now) return fail("throttled", user.id);

  const inWindow = user.failedWindowStart && now.getTime() - user.failedWindowStart.getTime() < throttlePolicy.windowMs;
  if (!(await verifyPassword(user.passwordHash, password))) {
    const failures = (inWindow ? user.failedLogins : 0) + 1;
    const delay = blockDelayMs(failures);
    await db.user.update({
      where: { id: user.id },
      data: { failedLogins: failures, failedWindowStart: inWindow ? user.failedWindowStart : now, blockedUntil: delay ? new Date(now.getTime() + delay) : null },
    });
    return fail("wrong password", user.id);
  }

  await db.user.update({
    where: { id: user.id },
    data: { failedLogins: 0, failedWindowStart: null, blockedUntil: null, ...(needsRehash(user.passwordHash) ? { passwordHash: await hashPassword(password) } : {}) },
  });
  const token = await createSession(db, user.id, meta, now);
  await appendAudit(db, { actor: { id: user.id, label: user.email }, action: "login.ok", ip: meta.ip });
  return { ok: true, token, userId: user.id };
}
