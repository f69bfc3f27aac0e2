/**
 * Password checks (SECURITY.md 10–12, issue 13): login, re-authentication and
 * password change all go through `checkPassword`, so each is throttled and
 * audited alike. One answer for unknown user and wrong password; a dummy
 * argon2 verify for unknown users; per account-and-address throttling charged
 * atomically before any argon2 work, and a blocked attempt that takes as long
 * as a verify; rehash when weak.
 */
import "server-only";
import { appendAudit } from "../audit/append";
import type { Db } from "../db/client";
import { burnDummyVerify, hashPassword, needsRehash, verifyPassword, waitLikeAVerify } from "./password";
import { throttlePolicy } from "./policy";
import { chargeAttempt, chargeSignInAttempt, clearThrottle, throttleSubject } from "./throttle";
import { createSession, type ClientMeta } from "./sessions";
import { hasSecondFactor } from "./two-factor/factors";
import { createPendingSignIn, type PendingPurpose } from "./two-factor/pending";
import { policyCovers, twoFactorPolicy } from "./two-factor/policy";

/**
 * A correct password gives a session at once only to a user without a second
 * factor whom the policy does not cover. Otherwise it gives a pending sign-in
 * (lib/auth/two-factor/pending.ts): "verify" asks for the second factor,
 * "enrol" sends a user the policy covers to set one up first.
 */
export type LoginResult = { ok: true; step: "session"; token: string; userId: string } | { ok: true; step: PendingPurpose; pendingToken: string; userId: string } | { ok: false };

export const loginFailedMessage = "Email or password is incorrect, or there were too many attempts. Check them and try again in a moment.";

/** Audit label of a failed login whose email matches no account: never the text typed (people type passwords there). */
export const unknownAccountLabel = "unknown account";

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type PasswordCheck = "ok" | "wrong" | "throttled";

/** Why a password is being checked; names the audit actions `<purpose>.ok` / `<purpose>.fail`. */
export type CheckPurpose = "login" | "reauth" | "password-change";

/**
 * Checks `password` for `user`, throttled per account and address. Charges
 * both subjects first; while either is blocked the answer is "throttled"
 * after a wait as long as a verify, with no argon2 work.
 */
export async function checkPassword(db: Db, user: { id: string; passwordHash: string }, password: string, ip: string | null, now = new Date(), opts: { keepThrottle?: boolean } = {}): Promise<PasswordCheck> {
  if ((await chargeSignInAttempt(db, user.id, ip, now)) === "blocked") {
    await waitLikeAVerify();
    return "throttled";
  }
  if (!(await verifyPassword(user.passwordHash, password))) return "wrong";
  // With a second factor still to come the charges stay: a correct password must not reset the code guesses' budget.
  if (!opts.keepThrottle) await clearThrottle(db, throttleSubject.pair(user.id, ip));
  return "ok";
}

/** `checkPassword` for the signed-in user (re-authentication, password change), audited. */
export async function confirmPassword(db: Db, userId: string, password: string, purpose: Exclude<CheckPurpose, "login">, ip: string | null, opts: { keepThrottle?: boolean } = {}): Promise<PasswordCheck> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, omit: { passwordHash: false } });
  const result = await checkPassword(db, user, password, ip, new Date(), opts);
  if (result !== "ok") await appendAudit(db, { actor: { id: user.id, label: user.email }, action: `${purpose}.fail`, ip, detail: { reason: result === "throttled" ? "throttled" : "wrong password" } });
  return result;
}

export async function login(db: Db, emailInput: string, password: string, meta: ClientMeta, now = new Date()): Promise<LoginResult> {
  const email = normalizeEmail(emailInput);
  const user = await db.user.findUnique({ where: { email }, omit: { passwordHash: false } });
  const fail = async (reason: string, actor: { id: string | null; label: string }) => {
    await appendAudit(db, { actor, action: "login.fail", ip: meta.ip, detail: { reason } });
    return { ok: false } as const;
  };

  if (!user || user.disabledAt) {
    // Unknown emails are limited per address; the answer costs what a wrong password costs.
    const charged = await chargeAttempt(db, throttleSubject.unknown(meta.ip), throttlePolicy.unknown, now);
    await (charged === "blocked" ? waitLikeAVerify() : burnDummyVerify(password));
    return user ? fail("disabled", { id: user.id, label: user.email }) : fail(charged === "blocked" ? "unknown account, throttled" : "unknown account", { id: null, label: unknownAccountLabel });
  }

  const hasFactor = await hasSecondFactor(db, user.id);
  const result = await checkPassword(db, user, password, meta.ip, now, { keepThrottle: hasFactor });
  if (result !== "ok") return fail(result === "throttled" ? "throttled" : "wrong password", { id: user.id, label: user.email });

  if (needsRehash(user.passwordHash)) await db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(password) } });
  const step = hasFactor ? "verify" : policyCovers(await twoFactorPolicy(db), user.role) ? "enrol" : null;
  if (step) {
    await appendAudit(db, { actor: { id: user.id, label: user.email }, action: "login.password_ok", ip: meta.ip, detail: { next: step === "verify" ? "second factor" : "second-factor enrolment (policy)" } });
    return { ok: true, step, pendingToken: await createPendingSignIn(db, user.id, step, meta, now), userId: user.id };
  }
  return { ok: true, step: "session", token: await startSession(db, user, meta, now), userId: user.id };
}

/** Creates the session of a completed sign-in and audits it. */
export async function startSession(db: Db, user: { id: string; email: string }, meta: ClientMeta, now = new Date(), detail?: Record<string, unknown>): Promise<string> {
  const token = await createSession(db, user.id, meta, now);
  await appendAudit(db, { actor: { id: user.id, label: user.email }, action: "login.ok", ip: meta.ip, detail });
  return token;
}
