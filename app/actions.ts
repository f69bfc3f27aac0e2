"use server";

import { redirect } from "next/navigation";
import { appendAudit } from "@/lib/audit/append";
import type { ActionState } from "@/lib/auth/action-state";
import { handleError } from "@/lib/auth/action";
import { confirmPassword } from "@/lib/auth/login";
import { clearSessionCookie, clientMeta, currentSession } from "@/lib/auth/request";
import { revokeSession } from "@/lib/auth/sessions";
import { checkSecondFactor, secondFactorInput, secondFactorRefusal } from "@/lib/auth/two-factor/check";
import { factorMethods, factorSummary } from "@/lib/auth/two-factor/factors";
import { db } from "@/lib/db/client";

export async function logoutAction(): Promise<void> {
  const s = await currentSession();
  if (s) {
    try {
      await revokeSession(db(), s.sessionId, s.user.id);
      await appendAudit(db(), { actor: { id: s.user.id, label: s.user.email }, action: "logout", ip: (await clientMeta()).ip });
    } catch (err) {
      handleError(err); // logged with an id; the cookie is cleared all the same
    }
  }
  await clearSessionCookie();
  redirect("/login");
}

/**
 * Re-authentication: the password — and the second factor when the user has
 * one — opens a 5-minute window for sensitive actions. Without a second
 * factor in the form the first answer says which kinds to give.
 */
export async function confirmPasswordAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const s = await currentSession();
  if (!s) redirect("/login");
  if (!(fd instanceof FormData)) return { error: "Malformed request." };
  try {
    const ip = (await clientMeta()).ip;
    const factors = await factorSummary(db(), s.user.id);
    const password = String(fd.get("password") ?? "").slice(0, 256);
    const check = await confirmPassword(db(), s.user.id, password, "reauth", ip, { keepThrottle: factors.any });
    if (check === "throttled") return { error: "Too many attempts. Wait a moment and try again." };
    if (check === "wrong") return { error: "That password is not correct." };
    if (factors.any) {
      const methods = factorMethods(factors);
      const input = secondFactorInput(fd);
      if (!input.code && !input.passkey) return { secondFactor: methods, error: "Also give your second factor: a code from your authenticator app, a recovery code, or a passkey." };
      const second = await checkSecondFactor(db(), s.user, input, ip);
      if (second.result !== "ok") {
        await appendAudit(db(), { actor: { id: s.user.id, label: s.user.email }, action: "reauth.fail", ip, detail: { reason: `second factor ${second.result}` } });
        return { secondFactor: methods, error: secondFactorRefusal(second.result) };
      }
    }
    await db().session.update({ where: { id: s.sessionId }, data: { reauthAt: new Date() } });
    return { ok: true };
  } catch (err) {
    return handleError(err);
  }
}
