import "server-only";
import { requireUser } from "../auth/request";
import { db } from "../db/client";

export interface SessionDTO {
  id: string;
  current: boolean;
  createdAt: Date;
  lastSeenAt: Date;
  ip: string | null;
  device: string;
}

/** A short device description from a user agent, e.g. "Chrome on Linux". */
export function describeDevice(ua: string | null): string {
  if (!ua) return "Unknown device";
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : /curl|node|undici|python/i.test(ua) ? "Script" : "Browser";
  const os = /Windows/.test(ua) ? "Windows" : /Mac OS X|Macintosh/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Linux/.test(ua) ? "Linux" : "";
  return os ? `${browser} on ${os}` : browser;
}

export async function listMySessions(): Promise<SessionDTO[]> {
  const s = await requireUser();
  const rows = await db().session.findMany({ where: { userId: s.user.id, revokedAt: null, expiresAt: { gt: new Date() } }, orderBy: { lastSeenAt: "desc" } });
  return rows.map((r) => ({ id: r.id, current: r.id === s.sessionId, createdAt: r.createdAt, lastSeenAt: r.lastSeenAt, ip: r.ip, device: describeDevice(r.userAgent) }));
}
