/**
 * The client address recorded in sessions and the audit log.
 *
 * Next fills X-Forwarded-For with the socket address only when the request has
 * none, so the header's left part can be written by the client. The right-most
 * entry is the one the nearest proxy (or Next itself) added, so that is the one
 * we trust. Behind a reverse proxy, have it set or append X-Forwarded-For.
 */
export function clientIp(headers: Headers): string | null {
  const entries = headers.get("x-forwarded-for")?.split(",").map((s) => s.trim()).filter(Boolean) ?? [];
  return entries.at(-1) ?? headers.get("x-real-ip") ?? null;
}
