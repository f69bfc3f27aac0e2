"use server";

import { redirect } from "next/navigation";
import { appendAudit } from "@/lib/audit/append";
import type { ActionState } from "@/lib/auth/action-state";
import { verifyPassword } from "@/lib/auth/password";
import { clearSessionCookie, clientMeta, currentSession } from "@/lib/auth/request";
import { revokeSession } from "@/lib/auth/sessions";
import { db } from "@/lib/db/client";

export async function logoutAction(): Promise<void> {
  const s = await currentSession();
  if (s) {
    await revokeSession(db(), s.sessionId, s.user.id);
    await appendAudit(db(), { actor: { id: s.user.id, label: s.user.email }, action: "logout", ip: (await clientMeta()).ip });
  }
  await clearSessionCookie();
  redirect("/login");
}

/** Re-authentication: the password, again, opens a 5-minute window for sensitive actions. */
export async function confirmPasswordAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const s = await currentSession();
  if (!s) redirect("/login");
  const password = String(fd.get("password") ?? "").slice(0, 256);
  const user = await db().user.findUniqueOrThrow({ where: { id: s.user.id }, omit: { passwordHash: false } });
  if (!(await verifyPassword(user.passwordHash, password))) return { error: "That password is not correct." };
  await db().session.update({ where: { id: s.sessionId }, data: { reauthAt: new Date() } });
  return { ok: true };
}
