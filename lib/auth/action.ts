/**
 * The wrapper every server action goes through: checks the session and role
 * itself, validates input with zod, turns expected failures into messages and
 * masks unexpected ones as "error id …" while the details go to the log
 * (SECURITY.md 16, 19).
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { redirect } from "next/navigation";
import { z } from "zod";
import { ServiceError } from "../errors";
import { log } from "../log";
import { VaultNotReadyError } from "../vault/public-key";
import type { ActionState } from "./action-state";
import { atLeast, type Role } from "./roles";
import { clientMeta, currentSession } from "./request";
import { hasFreshAuth, type ValidSession } from "./sessions";

export type { ActionState };

/** Thrown by a handler that needs a password entered within the last 5 minutes for this particular input. */
export class ReauthRequiredError extends Error {
  override name = "ReauthRequiredError";
}

/** An expected failure whose message is safe to show. */
export class UserFacingError extends Error {
  override name = "UserFacingError";
}

export interface ActionContext {
  session: ValidSession;
  actor: { id: string; label: string; ip: string | null };
}

interface Options {
  role: Role;
  /** require a password entered within the last 5 minutes (SECURITY.md 14) */
  fresh?: boolean;
}

export function errorId(): string {
  return randomBytes(4).toString("hex");
}

export function authedAction<S extends z.ZodType>(opts: Options, schema: S, handler: (input: z.output<S>, ctx: ActionContext) => Promise<ActionState | void>) {
  return async (_prev: ActionState, formData: FormData): Promise<ActionState> => {
    const session = await currentSession();
    if (!session) redirect("/login");
    if (!atLeast(session.user.role, opts.role)) return { error: "Your role does not allow this." };
    if (opts.fresh && !hasFreshAuth(session)) return { needsReauth: true, error: "Confirm your password to continue." };
    try {
      const parsed = schema.safeParse(formToObject(formData));
      if (!parsed.success) return { error: "Please correct the highlighted fields.", fieldErrors: z.flattenError(parsed.error).fieldErrors as Record<string, string[]> };
      const meta = await clientMeta();
      return (await handler(parsed.data, { session, actor: { id: session.user.id, label: session.user.email, ip: meta.ip } })) ?? { ok: true };
    } catch (err) {
      return handleError(err);
    }
  };
}

export function handleError(err: unknown): ActionState {
  if (err instanceof UserFacingError) return { error: err.message };
  if (err instanceof ReauthRequiredError) return { needsReauth: true, error: err.message || "Confirm your password to continue." };
  // redirect()/notFound() work by throwing; let them through.
  if (err && typeof err === "object" && "digest" in err && typeof (err as { digest: unknown }).digest === "string" && (err as { digest: string }).digest.startsWith("NEXT_")) throw err;
  const id = errorId();
  log.error({ errorId: id, err: { name: (err as Error)?.name, message: (err as Error)?.message } }, "unexpected error in action");
  return { error: `Something went wrong (error id ${id}). Nothing was changed unless stated otherwise; the details are in the server log.` };
}

/**
 * Runs a service call for an action: its expected failures (a ServiceError, the vault not ready yet)
 * come back as the form's error and field errors instead of the generic message.
 */
export async function withFormErrors<T>(fn: () => Promise<T>): Promise<T | ActionState> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ServiceError) return { error: err.message, fieldErrors: err.fieldErrors };
    if (err instanceof VaultNotReadyError) return { error: err.message };
    throw err;
  }
}

/** FormData → plain object; repeated keys (checkboxes) become arrays. */
export function formToObject(fd: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of new Set(fd.keys())) {
    if (key.startsWith("$ACTION")) continue;
    const all = fd.getAll(key).map((v) => (typeof v === "string" ? v : ""));
    out[key] = all.length > 1 || key.endsWith("[]") ? all : all[0];
  }
  return out;
}
