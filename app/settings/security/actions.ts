"use server";

/**
 * Second factors: set up (Settings → Security with fresh authentication, or
 * the forced enrolment right after the password when the policy requires one),
 * remove, recovery codes, and the owners' policy.
 */
import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import type { PasskeyRegistrationOptionsResult } from "@/components/two-factor/types";
import { appendAudit } from "@/lib/audit/append";
import type { ActionState } from "@/lib/auth/action-state";
import { authedAction, handleError, UserFacingError } from "@/lib/auth/action";
import { startSession } from "@/lib/auth/login";
import { clearPendingSignInCookie, clientMeta, currentPendingSignIn, currentSession, setSessionCookie } from "@/lib/auth/request";
import { hasFreshAuth } from "@/lib/auth/sessions";
import { hasSecondFactor, removeOwnFactor } from "@/lib/auth/two-factor/factors";
import { registerPasskey, registrationOptions } from "@/lib/auth/two-factor/passkeys";
import { consumePendingSignIn } from "@/lib/auth/two-factor/pending";
import { setTwoFactorPolicy, twoFactorScopes } from "@/lib/auth/two-factor/policy";
import { recoveryCodesLeft, regenerateRecoveryCodes } from "@/lib/auth/two-factor/recovery-codes";
import { startTotpEnrolment, acceptTotpCode } from "@/lib/auth/two-factor/totp";
import { db } from "@/lib/db/client";

interface Subject {
  user: { id: string; email: string; role: string };
  ip: string | null;
}

const notFresh: ActionState = { needsReauth: true, error: "Confirm your password (and second factor, if you have one) first: reload the page." };

/** Who is adding a factor: a session with fresh authentication, or a sign-in the policy sent to enrolment. */
async function enrolmentSubject(): Promise<Subject | ActionState> {
  const ip = (await clientMeta()).ip;
  const session = await currentSession();
  if (session) return hasFreshAuth(session) ? { user: session.user, ip } : notFresh;
  const pending = await currentPendingSignIn();
  if (pending?.purpose === "enrol") return { user: pending.user, ip };
  redirect("/login");
}

const isSubject = (s: Subject | ActionState): s is Subject => "user" in s;

/** After a factor is switched on: audit, and recovery codes if the user has none (shown once). */
async function factorAdded(subject: Subject, what: string): Promise<ActionState> {
  await appendAudit(db(), { actor: { id: subject.user.id, label: subject.user.email }, action: "second_factor.add", ip: subject.ip, target: { type: "user", id: subject.user.id }, detail: { added: what } });
  const recoveryCodes = (await recoveryCodesLeft(db(), subject.user.id)) === 0 ? await regenerateRecoveryCodes(db(), subject.user.id) : undefined;
  return { ok: true, message: `${what} added.`, recoveryCodes };
}

/**
 * Ends a forced enrolment once a factor is on (after the recovery codes were
 * shown): the session starts here, not in the action that switched the factor
 * on, so the page showing the codes is not re-rendered away from under them.
 */
export async function finishEnrolmentAction(): Promise<void> {
  const pending = await currentPendingSignIn();
  if (!pending || pending.purpose !== "enrol") redirect("/login?expired=1");
  if (!(await hasSecondFactor(db(), pending.user.id))) redirect("/login/enrol");
  if (!(await consumePendingSignIn(db(), pending.id))) redirect("/login?expired=1");
  await setSessionCookie(await startSession(db(), pending.user, await clientMeta(), new Date(), { secondFactor: "enrolled" }));
  await clearPendingSignInCookie();
  redirect("/");
}

export async function startTotpAction(): Promise<ActionState> {
  try {
    const subject = await enrolmentSubject();
    if (!isSubject(subject)) return subject;
    const started = await startTotpEnrolment(db(), subject.user);
    if (started === "already-enabled") return { error: "An authenticator app is already set up. Remove it first to set up another." };
    return { totp: started };
  } catch (err) {
    return handleError(err);
  }
}

export async function confirmTotpAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  try {
    const subject = await enrolmentSubject();
    if (!isSubject(subject)) return subject;
    const code = String(fd.get("code") ?? "").slice(0, 20);
    if (!(await acceptTotpCode(db(), subject.user.id, code, new Date(), { confirm: true }))) {
      return { error: "That code does not match. Check the app's clock and type the code it shows now (6 digits)." };
    }
    return await factorAdded(subject, "Authenticator app");
  } catch (err) {
    return handleError(err);
  }
}

export async function passkeyRegistrationOptionsAction(): Promise<PasskeyRegistrationOptionsResult> {
  try {
    const subject = await enrolmentSubject();
    if (!isSubject(subject)) return { error: subject.error ?? "Not allowed." };
    return await registrationOptions(db(), subject.user);
  } catch (err) {
    return { error: handleError(err).error ?? "Something went wrong." };
  }
}

const passkeyName = z.string().trim().min(1, "Name the passkey (e.g. “laptop”).").max(60, "At most 60 characters.");

export async function registerPasskeyAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  try {
    const subject = await enrolmentSubject();
    if (!isSubject(subject)) return subject;
    const name = passkeyName.safeParse(fd.get("name") ?? "");
    if (!name.success) return { error: name.error.issues[0]!.message, fieldErrors: { name: [name.error.issues[0]!.message] } };
    let response: unknown;
    try {
      response = JSON.parse(String(fd.get("response") ?? "").slice(0, 50_000));
    } catch {
      return { error: "The browser's answer was malformed. Try again." };
    }
    const added = await registerPasskey(db(), subject.user.id, name.data, String(fd.get("challengeId") ?? "").slice(0, 40), response as Parameters<typeof registerPasskey>[4]);
    if (!added) return { error: "The passkey could not be verified (expired, or made for another address). Try again." };
    return await factorAdded(subject, `Passkey "${name.data}"`);
  } catch (err) {
    return handleError(err);
  }
}

const factorRef = z.discriminatedUnion("kind", [z.object({ kind: z.literal("authenticator") }), z.object({ kind: z.literal("passkey"), id: z.string().min(1).max(64) })]);

export const removeFactorAction = authedAction({ role: "viewer", fresh: true }, factorRef, async (input, { session, actor }) => {
  const result = await removeOwnFactor(db(), session.user, input, actor);
  if (result === "not-found") throw new UserFacingError("That factor no longer exists.");
  if (result === "required") throw new UserFacingError("Two-factor sign-in is required for your role: add another factor before removing this one.");
  revalidatePath("/settings/security");
  return { ok: true, message: input.kind === "authenticator" ? "Authenticator app removed." : "Passkey removed." };
});

export const regenerateRecoveryCodesAction = authedAction({ role: "viewer", fresh: true }, z.object({}), async (_input, { session, actor }) => {
  if (!(await hasSecondFactor(db(), session.user.id))) throw new UserFacingError("Set up an authenticator app or a passkey first: recovery codes stand in for one.");
  const codes = await regenerateRecoveryCodes(db(), session.user.id);
  await appendAudit(db(), { actor, action: "second_factor.recovery_codes_regenerated", ip: actor.ip, target: { type: "user", id: session.user.id } });
  return { ok: true, message: "New recovery codes: the old ones no longer work.", recoveryCodes: codes };
});

export const setTwoFactorPolicyAction = authedAction({ role: "owner", fresh: true }, z.object({ scope: z.enum(twoFactorScopes) }), async (input, { actor }) => {
  await setTwoFactorPolicy(db(), input.scope);
  await appendAudit(db(), { actor, action: "second_factor.policy", ip: actor.ip, detail: { requiredFor: input.scope } });
  revalidatePath("/settings/security");
  return { ok: true, message: `Two-factor sign-in is now required for ${input.scope}.` };
});
