/**
 * Checking a second factor (sign-in and fresh authentication). Throttled like
 * passwords — charged to the same per-account-and-address and per-account
 * subjects, atomically, before anything is checked — so wrong codes and wrong
 * passwords share one budget, and 40 parallel guesses at the limit pass none.
 */
import "server-only";
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import { appendAudit } from "../../audit/append";
import type { Db } from "../../db/client";
import { log } from "../../log";
import { chargeSignInAttempt, clearThrottle, throttleSubject } from "../throttle";
import { SecondFactorKeyError } from "./factor-key";
import { acceptPasskey } from "./passkeys";
import { recoveryCodeCount, spendRecoveryCode } from "./recovery-codes";
import { acceptTotpCode } from "./totp";

export interface SecondFactorInput {
  /** a 6-digit authenticator code or a recovery code */
  code?: string;
  passkey?: { challengeId: string; response: AuthenticationResponseJSON };
}

export type SecondFactorMethod = "authenticator" | "passkey" | "recovery code";
export type SecondFactorCheck = { result: "ok"; method: SecondFactorMethod } | { result: "wrong" | "throttled" | "unavailable" };

/** What to tell the user when a check did not pass. */
export function secondFactorRefusal(result: "wrong" | "throttled" | "unavailable"): string {
  if (result === "throttled") return "Too many attempts. Wait a moment and try again.";
  if (result === "unavailable") return "Authenticator codes cannot be checked right now: the server's second-factor key is missing or damaged (the server log says more). Use a passkey or a recovery code.";
  return "That code or passkey was not accepted. A code works once; wait for the next one.";
}

/** Reads the step's form fields: `code`, or `passkeyResponse` (JSON) with `challengeId`. */
export function secondFactorInput(fd: FormData): SecondFactorInput {
  const code = String(fd.get("code") ?? "").trim().slice(0, 40);
  const raw = String(fd.get("passkeyResponse") ?? "");
  const challengeId = String(fd.get("challengeId") ?? "").slice(0, 40);
  if (raw && challengeId && raw.length < 20_000) {
    try {
      const response = JSON.parse(raw) as AuthenticationResponseJSON;
      if (response && typeof response.id === "string") return { passkey: { challengeId, response } };
    } catch {
      /* not JSON: treated as no passkey */
    }
  }
  return code ? { code } : {};
}

export async function checkSecondFactor(db: Db, user: { id: string; email: string }, input: SecondFactorInput, ip: string | null, now = new Date()): Promise<SecondFactorCheck> {
  if ((await chargeSignInAttempt(db, user.id, ip, now)) === "blocked") return { result: "throttled" };
  let method: SecondFactorMethod | null;
  try {
    method = await tryFactor(db, user, input, ip, now);
  } catch (err) {
    if (!(err instanceof SecondFactorKeyError)) throw err;
    log.error({ err: { name: err.name, message: err.message } }, "second-factor key unusable");
    return { result: "unavailable" };
  }
  if (!method) return { result: "wrong" };
  await clearThrottle(db, throttleSubject.pair(user.id, ip));
  return { result: "ok", method };
}

async function tryFactor(db: Db, user: { id: string; email: string }, input: SecondFactorInput, ip: string | null, now: Date): Promise<SecondFactorMethod | null> {
  if (input.passkey) return (await acceptPasskey(db, user.id, input.passkey.challengeId, input.passkey.response, now)) ? "passkey" : null;
  const code = input.code ?? "";
  if (/^\d{6}$/.test(code.replace(/\s/g, ""))) return (await acceptTotpCode(db, user.id, code, now)) ? "authenticator" : null;
  const left = await spendRecoveryCode(db, user.id, code, now);
  if (left === null) return null;
  await appendAudit(db, { actor: { id: user.id, label: user.email }, action: "second_factor.recovery_code_used", ip, detail: { left, of: recoveryCodeCount } });
  return "recovery code";
}
