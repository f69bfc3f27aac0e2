"use server";

import { redirect } from "next/navigation";
import type { ActionState } from "@/lib/auth/action-state";
import { handleError } from "@/lib/auth/action";
import { login, loginFailedMessage } from "@/lib/auth/login";
import { clientMeta, setSessionCookie } from "@/lib/auth/request";
import { db } from "@/lib/db/client";
import { loginSchema } from "@/lib/validation/auth";

export async function loginAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  if (!(fd instanceof FormData)) return { error: loginFailedMessage };
  try {
    const parsed = loginSchema.safeParse({ email: fd.get("email") ?? "", password: fd.get("password") ?? "" });
    if (!parsed.success) return { error: loginFailedMessage };
    const result = await login(db(), parsed.data.email, parsed.data.password, await clientMeta());
    if (!result.ok) return { error: loginFailedMessage };
    await setSessionCookie(result.token);
  } catch (err) {
    return handleError(err);
  }
  redirect("/");
}
