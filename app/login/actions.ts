"use server";

import { redirect } from "next/navigation";
import { appendAudit } from "@/lib/audit/append";
import type { ActionState } from "@/lib/auth/action-state";
import { handleError } from "@/lib/auth/action";
import { login, loginFailedMessage, startSession } from "@/lib/auth/login";
import { clearPendingSignInCookie, clearSessionCookie, clientMeta, currentPendingSignIn, currentSession, setPendingSignInCookie, setSessionCookie } from "@/lib/auth/request";
import { checkSecondFactor, secondFactorInput, secondFactorRefusal } from "@/lib/auth/two-factor/check";
import { authenticationOptions } from "@/lib/auth/two-factor/passkeys";
import { consumePendingSignIn } from "@/lib/auth/two-factor/pending";
import { db } from "@/lib/db/client";
import { loginSchema } from "@/lib/validation/auth";
import type { PasskeyOptionsResult } from "@/components/two-factor/types";

export async function loginAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  if (!(fd instanceof FormData)) return { error: loginFailedMessage };
  let next = "/";
  try {
    const parsed = loginSchema.safeParse({ email: fd.get("email") ?? "", password: fd.get("password") ?? "" });
    if (!parsed.success) return { error: loginFailedMessage };
    const result = await login(db(), parsed.data.email, parsed.data.password, await clientMeta());
    if (!result.ok) return { error: loginFailedMessage };
    if (result.step === "session") {
      await setSessionCookie(result.token);
    } else {
      await clearSessionCookie();
      await setPendingSignInCookie(result.pendingToken);
      next = result.step === "verify" ? "/login/verify" : "/login/enrol";
    }
  } catch (err) {
    return handleError(err);
  }
  redirect(next);
}

const signInExpired = "This sign-in step has expired (5 minutes) or was already used. Log in again.";

/** The second step of a sign-in: an authenticator code, a recovery code or a passkey. No session exists before it passes. */
export async function verifySecondFactorAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const pending = await currentPendingSignIn();
  if (!pending || pending.purpose !== "verify") redirect("/login?expired=1");
  if (!(fd instanceof FormData)) return { error: "Malformed request." };
  try {
    const input = secondFactorInput(fd);
    if (!input.code && !input.passkey) return { error: "Enter the code from your authenticator app or a recovery code, or use a passkey." };
    const meta = await clientMeta();
    const check = await checkSecondFactor(db(), pending.user, input, meta.ip);
    if (check.result !== "ok") {
      await appendAudit(db(), { actor: { id: pending.user.id, label: pending.user.email }, action: "login.fail", ip: meta.ip, detail: { reason: `second factor ${check.result}` } });
      return { error: secondFactorRefusal(check.result) };
    }
    if (!(await consumePendingSignIn(db(), pending.id))) return { error: signInExpired };
    await setSessionCookie(await startSession(db(), pending.user, meta, new Date(), { secondFactor: check.method }));
    await clearPendingSignInCookie();
  } catch (err) {
    return handleError(err);
  }
  redirect("/");
}

/** WebAuthn options for a passkey assertion: for the sign-in step, or for fresh authentication in a session. */
export async function passkeyOptionsAction(): Promise<PasskeyOptionsResult> {
  try {
    const userId = (await currentSession())?.user.id ?? (await currentPendingSignIn().then((p) => (p?.purpose === "verify" ? p.user.id : null)));
    if (!userId) return { error: signInExpired };
    return (await authenticationOptions(db(), userId)) ?? { error: "No passkey is registered for this account." };
  } catch (err) {
    return { error: handleError(err).error ?? "Something went wrong." };
  }
}

export async function cancelSignInAction(): Promise<void> {
  await clearPendingSignInCookie();
  redirect("/login");
}
