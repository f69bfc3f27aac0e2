"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import type { ActionState } from "@/lib/auth/action-state";
import { handleError } from "@/lib/auth/action";
import { clientMeta, setSessionCookie } from "@/lib/auth/request";
import { createSession } from "@/lib/auth/sessions";
import { createUser, userCount } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { setupSchema } from "@/lib/validation/auth";

/** Creates the first owner. Refused as soon as any user exists. */
export async function setupAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  if ((await userCount(db())) > 0) redirect("/login");
  if (!(fd instanceof FormData)) return { error: "Malformed request." };
  const parsed = setupSchema.safeParse({ email: fd.get("email"), password: fd.get("password"), confirm: fd.get("confirm") });
  if (!parsed.success) return { error: "Please correct the highlighted fields.", fieldErrors: z.flattenError(parsed.error).fieldErrors };
  const meta = await clientMeta();
  try {
    const user = await createUser(db(), { email: parsed.data.email, role: "owner", password: parsed.data.password }, { id: null, label: "setup", ip: meta.ip });
    await setSessionCookie(await createSession(db(), user.id, meta));
  } catch (err) {
    return handleError(err);
  }
  redirect("/");
}
