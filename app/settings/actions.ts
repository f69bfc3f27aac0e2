"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction, UserFacingError } from "@/lib/auth/action";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { confirmPassword } from "@/lib/auth/login";
import { setSessionCookie, clientMeta } from "@/lib/auth/request";
import { createSession, hasFreshAuth, revokeSession } from "@/lib/auth/sessions";
import { hasSecondFactor } from "@/lib/auth/two-factor/factors";
import { changeRole, createUser, setDisabled, setPassword, UserError } from "@/lib/auth/users";
import { appendAudit } from "@/lib/audit/append";
import { db } from "@/lib/db/client";
import { changePasswordSchema, createTokenSchema, createUserSchema, roleSchema } from "@/lib/validation/auth";

const id = z.object({ id: z.string().min(1).max(64) });

/** The settings lists (users, sessions, tokens) show what an action changed without a reload. */
const refreshSettings = () => revalidatePath("/settings", "layout");

const asUserFacing = async <T,>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UserError) throw new UserFacingError(err.message);
    throw err;
  }
};

export const changePasswordAction = authedAction({ role: "viewer" }, changePasswordSchema, async (input, { session, actor }) => {
  // With a second factor, the current password alone is not enough: fresh authentication asks for both.
  if ((await hasSecondFactor(db(), session.user.id)) && !hasFreshAuth(session)) return { needsReauth: true, error: "Confirm your password and your second factor to continue." };
  const check = await confirmPassword(db(), session.user.id, input.current, "password-change", actor.ip);
  if (check === "throttled") return { error: "Too many attempts. Wait a moment and try again." };
  if (check === "wrong") return { fieldErrors: { current: ["That is not your current password."] }, error: "Your current password is not correct." };
  // Every session ends, this one included; this browser continues on a fresh token.
  const { tokensRevoked } = await setPassword(db(), session.user.id, input.password, actor, { keepTokens: input.keepTokens === "on" });
  await setSessionCookie(await createSession(db(), session.user.id, await clientMeta()));
  refreshSettings();
  const tokens = input.keepTokens === "on" ? "Your API tokens were kept." : `${tokensRevoked} API token${tokensRevoked === 1 ? " was" : "s were"} revoked.`;
  return { ok: true, message: `Password changed. Every other session has been logged out. ${tokens}` };
});

export const revokeSessionAction = authedAction({ role: "viewer" }, id, async (input, { session, actor }) => {
  if (!(await revokeSession(db(), input.id, session.user.id))) throw new UserFacingError("That session no longer exists.");
  await appendAudit(db(), { actor, action: "session.revoke", ip: actor.ip, target: { type: "session", id: input.id } });
  refreshSettings();
  return { ok: true, message: input.id === session.sessionId ? "This session was revoked." : "Session revoked." };
});

export const createUserAction = authedAction({ role: "owner", fresh: true }, createUserSchema, async (input, { actor }) => {
  const u = await asUserFacing(() => createUser(db(), input, actor));
  refreshSettings();
  return { ok: true, message: `Created ${u.email} (${u.role}).` };
});

export const changeRoleAction = authedAction({ role: "owner", fresh: true }, id.extend({ role: roleSchema }), async (input, { actor }) => {
  await asUserFacing(() => changeRole(db(), input.id, input.role, actor));
  refreshSettings();
  return { ok: true, message: `Role changed to ${input.role}; that user's sessions were ended.` };
});

export const setDisabledAction = authedAction({ role: "owner", fresh: true }, id.extend({ disabled: z.enum(["true", "false"]) }), async (input, { session, actor }) => {
  if (input.id === session.user.id) throw new UserFacingError("You cannot disable yourself.");
  await asUserFacing(() => setDisabled(db(), input.id, input.disabled === "true", actor));
  refreshSettings();
  return { ok: true, message: input.disabled === "true" ? "User disabled and logged out." : "User enabled." };
});

// A token can do through the API what the session can do in the browser, for months: it needs the same fresh password as adding a key.
export const createTokenAction = authedAction({ role: "viewer", fresh: true }, createTokenSchema, async (input, { session, actor }) => {
  const { token } = await asUserFacing(() => createApiToken(db(), session.user.id, { name: input.name, scopes: input.scopes, expiresInMs: input.expires }, actor));
  refreshSettings();
  return { ok: true, message: `Token "${input.name}" created.`, reveal: token };
});

export const revokeTokenAction = authedAction({ role: "viewer" }, id, async (input, { session, actor }) => {
  if (!(await revokeApiToken(db(), input.id, session.user.id, actor))) throw new UserFacingError("That token is already revoked or does not exist.");
  refreshSettings();
  return { ok: true, message: "Token revoked." };
});
