/**
 * Who is asking, for pages, server actions and route handlers. Every one of
 * them calls these itself: the proxy is not a security boundary
 * (SECURITY.md 16, CVE-2025-29927).
 */
import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { db } from "../db/client";
import { clientIp } from "./client-ip";
import { sessionPolicy } from "./policy";
import { atLeast, type Role } from "./roles";
import { validateSession, type ClientMeta, type ValidSession } from "./sessions";
import { pendingTtlMs, validatePendingSignIn, type PendingSignIn } from "./two-factor/pending";

type CookieNames = { plain: string; host: string };
const sessionCookie: CookieNames = { plain: "keyward_session", host: "__Host-keyward_session" };
/** The pending sign-in between password and second factor: a cookie of its own, never a session. */
const pendingCookie: CookieNames = { plain: "keyward_signin", host: "__Host-keyward_signin" };

/** Secure cookies (and the __Host- prefix) when the request came over HTTPS. */
async function isHttps(): Promise<boolean> {
  return (await headers()).get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

async function setCookie(names: CookieNames, token: string, maxAgeMs: number): Promise<void> {
  const secure = await isHttps();
  (await cookies()).set(secure ? names.host : names.plain, token, { httpOnly: true, sameSite: "lax", secure, path: "/", maxAge: Math.floor(maxAgeMs / 1000) });
}

async function clearCookie(names: CookieNames): Promise<void> {
  const jar = await cookies();
  jar.delete(names.plain);
  jar.delete({ name: names.host, path: "/", secure: true });
}

async function readCookie(names: CookieNames): Promise<string | undefined> {
  const jar = await cookies();
  return jar.get(names.host)?.value ?? jar.get(names.plain)?.value;
}

export const setSessionCookie = (token: string) => setCookie(sessionCookie, token, sessionPolicy.absoluteMs);
export const clearSessionCookie = () => clearCookie(sessionCookie);
export const setPendingSignInCookie = (token: string) => setCookie(pendingCookie, token, pendingTtlMs);
export const clearPendingSignInCookie = () => clearCookie(pendingCookie);

/** The pending sign-in of this browser (second-factor step or forced enrolment), or null. Opens nothing else. */
export async function currentPendingSignIn(): Promise<PendingSignIn | null> {
  return validatePendingSignIn(db(), await readCookie(pendingCookie));
}

export async function clientMeta(): Promise<ClientMeta> {
  const h = await headers();
  return { ip: clientIp(h), userAgent: h.get("user-agent") };
}

/**
 * The current session, or null. Never throws for a bad cookie. Memoized per
 * request (React `cache`): the layout, the page and every data function ask,
 * and the database is asked once.
 */
export const currentSession = cache(async (): Promise<ValidSession | null> => validateSession(db(), await sessionToken()));

/** The raw session cookie (for a long-lived stream that re-checks its session later, outside the request). */
export async function sessionToken(): Promise<string | undefined> {
  return readCookie(sessionCookie);
}

/** For pages: the session, or a redirect to /login (or / when the role is too low). */
export async function requireUser(min: Role = "viewer"): Promise<ValidSession> {
  const s = await currentSession();
  if (!s) redirect("/login");
  if (!atLeast(s.user.role, min)) redirect("/?denied=1");
  return s;
}
