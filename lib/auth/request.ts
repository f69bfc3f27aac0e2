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

const plainName = "keyward_session";
const hostName = "__Host-keyward_session";

/** Secure cookies (and the __Host- prefix) when the request came over HTTPS. */
async function isHttps(): Promise<boolean> {
  return (await headers()).get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
}

export async function setSessionCookie(token: string): Promise<void> {
  const secure = await isHttps();
  (await cookies()).set(secure ? hostName : plainName, token, {
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: Math.floor(sessionPolicy.absoluteMs / 1000),
  });
}

export async function clearSessionCookie(): Promise<void> {
  const jar = await cookies();
  jar.delete(plainName);
  jar.delete({ name: hostName, path: "/", secure: true });
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
  const jar = await cookies();
  return jar.get(hostName)?.value ?? jar.get(plainName)?.value;
}

/** For pages: the session, or a redirect to /login (or / when the role is too low). */
export async function requireUser(min: Role = "viewer"): Promise<ValidSession> {
  const s = await currentSession();
  if (!s) redirect("/login");
  if (!atLeast(s.user.role, min)) redirect("/?denied=1");
  return s;
}
