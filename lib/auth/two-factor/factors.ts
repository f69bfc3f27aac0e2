/**
 * What second factors a user has, and removing them — by the user (Settings →
 * Security, with fresh authentication, not the last one while the policy
 * requires it) or on the host (`keyward user reset-2fa`). Every removal is
 * audited and raises the alert user.second_factor_removed.
 */
import "server-only";
import { alertEvents } from "../../alerts/catalog";
import { raiseAlert } from "../../alerts/raise";
import { appendAudit } from "../../audit/append";
import type { Db } from "../../db/client";
import { recoveryCodesLeft } from "./recovery-codes";
import { policyCovers, twoFactorPolicy } from "./policy";

export interface FactorSummary {
  totp: { since: Date; lastUsedAt: Date | null } | null;
  passkeys: { id: string; name: string; createdAt: Date; lastUsedAt: Date | null }[];
  recoveryLeft: number;
  /** whether sign-in asks for a second factor */
  any: boolean;
}

export async function factorSummary(db: Db, userId: string): Promise<FactorSummary> {
  const [totp, passkeys, recoveryLeft] = await Promise.all([
    db.totpFactor.findUnique({ where: { userId }, select: { confirmedAt: true, lastUsedAt: true } }),
    db.passkey.findMany({ where: { userId }, select: { id: true, name: true, createdAt: true, lastUsedAt: true }, orderBy: { createdAt: "asc" } }),
    recoveryCodesLeft(db, userId),
  ]);
  const enabled = totp?.confirmedAt ? { since: totp.confirmedAt, lastUsedAt: totp.lastUsedAt } : null;
  return { totp: enabled, passkeys, recoveryLeft, any: !!enabled || passkeys.length > 0 };
}

/** Whether sign-in asks this user for a second factor (two counts; for the paths that need no more, such as every page's banner). */
export async function hasSecondFactor(db: Db, userId: string): Promise<boolean> {
  const [totp, passkeys] = await Promise.all([db.totpFactor.count({ where: { userId, confirmedAt: { not: null } } }), db.passkey.count({ where: { userId } })]);
  return totp + passkeys > 0;
}

/** Which second-factor fields a form should offer this user. */
export function factorMethods(s: FactorSummary): { code: boolean; passkey: boolean } {
  return { code: !!s.totp || s.recoveryLeft > 0, passkey: s.passkeys.length > 0 };
}

export type FactorRef = { kind: "authenticator" } | { kind: "passkey"; id: string };

interface Actor {
  id: string | null;
  label: string;
  ip: string | null;
}

/** Removes one of the user's own factors; refused (with why) when it is the last one and the policy requires one. */
export async function removeOwnFactor(db: Db, user: { id: string; email: string; role: string }, factor: FactorRef, actor: Actor): Promise<"removed" | "not-found" | "required"> {
  const s = await factorSummary(db, user.id);
  const count = (s.totp ? 1 : 0) + s.passkeys.length;
  const exists = factor.kind === "authenticator" ? !!s.totp : s.passkeys.some((p) => p.id === factor.id);
  if (!exists) return "not-found";
  if (count === 1 && policyCovers(await twoFactorPolicy(db), user.role)) return "required";
  if (factor.kind === "authenticator") await db.totpFactor.deleteMany({ where: { userId: user.id } });
  else await db.passkey.deleteMany({ where: { id: factor.id, userId: user.id } });
  if (count === 1) await db.recoveryCode.deleteMany({ where: { userId: user.id } }); // no factor left: codes would open nothing
  await factorRemoved(db, user, factor.kind === "authenticator" ? "authenticator app" : `passkey "${s.passkeys.find((p) => p.id === factor.id)?.name}"`, actor);
  return "removed";
}

/** Removes every factor of a user and ends their sessions (the host's `user reset-2fa`). */
export async function resetSecondFactors(db: Db, user: { id: string; email: string }, actor: Actor): Promise<{ removed: number; sessionsEnded: number }> {
  const [totp, passkeys] = await Promise.all([db.totpFactor.deleteMany({ where: { userId: user.id } }), db.passkey.deleteMany({ where: { userId: user.id } })]);
  await db.recoveryCode.deleteMany({ where: { userId: user.id } });
  await db.pendingSignIn.updateMany({ where: { userId: user.id, consumedAt: null }, data: { consumedAt: new Date() } });
  const sessions = await db.session.updateMany({ where: { userId: user.id, revokedAt: null }, data: { revokedAt: new Date() } });
  await factorRemoved(db, user, "every second factor (reset on the host)", actor);
  return { removed: totp.count + passkeys.count, sessionsEnded: sessions.count };
}

async function factorRemoved(db: Db, user: { id: string; email: string }, what: string, actor: Actor): Promise<void> {
  const now = new Date();
  await appendAudit(db, { actor: { id: actor.id, label: actor.label }, action: "second_factor.remove", ip: actor.ip, target: { type: "user", id: user.id }, detail: { user: user.email, removed: what } });
  await raiseAlert(db, {
    event: "user.second_factor_removed",
    severity: alertEvents["user.second_factor_removed"].severity,
    subject: { type: "user", id: user.id, label: user.email },
    message: `${what} was removed from ${user.email} by ${actor.label}.`,
    link: "/settings/security",
    dedupeKey: `user.second_factor_removed:${user.id}:${now.getTime()}`,
    occurredAt: now,
  });
}
