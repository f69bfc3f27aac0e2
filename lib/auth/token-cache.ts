/**
 * A token this process found valid is trusted again for up to 2 s without
 * asking the database (scripts poll; live streams re-check). Revoking a token,
 * changing a password or a role, or disabling a user in this process forgets
 * them at once; such a change made by another process (the CLI, a second web
 * server) takes effect within those 2 s.
 */
import type { Db } from "../db/client";
import { processWide } from "../process-wide";

export const reuseMs = 2000;

interface Principal {
  tokenId: string;
  user: { id: string; email: string; role: string };
  scopes: string[];
}

// process-wide: the revoke runs in a server action, the check in a route handler
const recentlyValid = processWide("token-trust", () => new WeakMap<Db, Map<string, { principal: Principal; until: number }>>());

export function recentlyValidated<P extends Principal>(db: Db, hash: string, now: Date): P | null {
  const hit = recentlyValid.get(db)?.get(hash);
  return hit && hit.until > now.getTime() ? (hit.principal as P) : null;
}

export function rememberValidated(db: Db, hash: string, principal: Principal, until: number): void {
  let valid = recentlyValid.get(db);
  if (!valid) recentlyValid.set(db, (valid = new Map()));
  if (valid.size >= 1000) valid.clear();
  valid.set(hash, { principal, until });
}

export function forgetValidatedTokens(db: Db): void {
  recentlyValid.get(db)?.clear();
}
