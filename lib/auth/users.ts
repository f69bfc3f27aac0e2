/** User management shared by the web UI and the CLI. Callers check the actor's role. */
import "server-only";
import { appendAudit } from "../audit/append";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../errors";
import { hashPassword } from "./password";
import type { Role } from "./roles";
import { revokeOtherSessions } from "./sessions";
import { forgetValidatedTokens } from "./token-cache";

export interface Actor {
  id: string | null;
  label: string;
  ip?: string | null;
}

export class UserError extends Error {
  override name = "UserError";
}

export interface UserDTO {
  id: string;
  email: string;
  role: string;
  createdAt: Date;
  disabled: boolean;
}

export async function createUser(db: Db, input: { email: string; role: Role; password: string }, actor: Actor): Promise<UserDTO> {
  const exists = () => new UserError(`A user with email ${input.email} already exists.`);
  if (await db.user.findUnique({ where: { email: input.email } })) throw exists();
  const u = await db.user.create({ data: { email: input.email, role: input.role, passwordHash: await hashPassword(input.password) } }).catch((err) => {
    throw isUniqueViolation(err) ? exists() : err; // created concurrently
  });
  await appendAudit(db, { actor, action: "user.create", ip: actor.ip, target: { type: "user", id: u.id }, detail: { email: u.email, role: u.role } });
  return { id: u.id, email: u.email, role: u.role, createdAt: u.createdAt, disabled: false };
}

/**
 * Sets a new password, ends every session of that user (but `keepSession`),
 * revokes their API tokens unless `keepTokens` (issue 13: a password change
 * ends what the old password opened), and lifts their login throttle.
 */
export async function setPassword(db: Db, userId: string, password: string, actor: Actor, opts: { keepSession?: string; keepTokens?: boolean } = {}): Promise<{ tokensRevoked: number }> {
  await db.user.update({ where: { id: userId }, data: { passwordHash: await hashPassword(password), passwordChangedAt: new Date() } });
  await revokeOtherSessions(db, userId, opts.keepSession);
  const tokensRevoked = opts.keepTokens ? 0 : (await db.apiToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: new Date() } })).count;
  forgetValidatedTokens(db);
  await db.authThrottle.deleteMany({ where: { OR: [{ subject: { startsWith: `pair:${userId}:` } }, { subject: `account:${userId}` }] } });
  await appendAudit(db, { actor, action: "user.password", ip: actor.ip, target: { type: "user", id: userId }, detail: { apiAccessRevoked: tokensRevoked, apiAccessKept: !!opts.keepTokens } }); // detail keys named "token…" would be redacted
  return { tokensRevoked };
}

export async function listUsers(db: Db): Promise<UserDTO[]> {
  const rows = await db.user.findMany({ orderBy: { createdAt: "asc" } });
  return rows.map((u) => ({ id: u.id, email: u.email, role: u.role, createdAt: u.createdAt, disabled: !!u.disabledAt }));
}

export async function userCount(db: Db): Promise<number> {
  return db.user.count();
}

/** Refuses to leave the installation without an active owner. */
async function assertOtherOwner(db: Db, userId: string): Promise<void> {
  const others = await db.user.count({ where: { role: "owner", disabledAt: null, id: { not: userId } } });
  if (others === 0) throw new UserError("Keyward needs at least one active owner; make someone else owner first.");
}

export async function changeRole(db: Db, userId: string, role: Role, actor: Actor): Promise<void> {
  const u = await db.user.findUnique({ where: { id: userId } });
  if (!u) throw new UserError("No such user.");
  if (u.role === "owner" && role !== "owner") await assertOtherOwner(db, userId);
  await db.user.update({ where: { id: userId }, data: { role } });
  forgetValidatedTokens(db);
  await revokeOtherSessions(db, userId);
  await appendAudit(db, { actor, action: "user.role", ip: actor.ip, target: { type: "user", id: userId }, detail: { from: u.role, to: role } });
}

export async function setDisabled(db: Db, userId: string, disabled: boolean, actor: Actor): Promise<void> {
  const u = await db.user.findUnique({ where: { id: userId } });
  if (!u) throw new UserError("No such user.");
  if (disabled && u.role === "owner") await assertOtherOwner(db, userId);
  await db.user.update({ where: { id: userId }, data: { disabledAt: disabled ? new Date() : null } });
  forgetValidatedTokens(db);
  if (disabled) await revokeOtherSessions(db, userId);
  await appendAudit(db, { actor, action: disabled ? "user.disable" : "user.enable", ip: actor.ip, target: { type: "user", id: userId } });
}
