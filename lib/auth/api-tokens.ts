/**
 * Personal access tokens for /api/v1 (bearer only, never cookies). Shown once
 * at creation; only the SHA-256 is stored. A token's scopes are capped by its
 * owner's role at use time, so demoting a user demotes their tokens.
 */
import "server-only";
import { appendAudit } from "../audit/append";
import type { Db } from "../db/client";
import { atLeast, tokenScopes, type TokenScope } from "./roles";
import { maxTokenLifetimeMs } from "../validation/auth";
import { newToken, tokenHash } from "./tokens";
import { forgetValidatedTokens, recentlyValidated, rememberValidated, reuseMs } from "./token-cache";
import { UserError, type Actor } from "./users";

export const tokenPrefix = "kwt_";

export interface ApiTokenDTO {
  id: string;
  name: string;
  prefix: string;
  scopes: TokenScope[];
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revoked: boolean;
}

export interface TokenPrincipal {
  tokenId: string;
  user: { id: string; email: string; role: string };
  scopes: TokenScope[];
}

const parseScopes = (s: string) => s.split(",").filter((x): x is TokenScope => x in tokenScopes);

export async function createApiToken(db: Db, userId: string, input: { name: string; scopes: TokenScope[]; expiresInMs: number }, actor: Actor): Promise<{ token: string; dto: ApiTokenDTO }> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  const tooHigh = input.scopes.filter((s) => !atLeast(user.role, tokenScopes[s]));
  if (tooHigh.length) throw new UserError(`A ${user.role} cannot hold the ${tooHigh.join(", ")} scope.`);
  const token = newToken(tokenPrefix);
  const row = await db.apiToken.create({
    data: {
      userId,
      name: input.name,
      tokenHash: tokenHash(token),
      prefix: token.slice(0, tokenPrefix.length + 4),
      scopes: [...new Set(input.scopes)].join(","),
      expiresAt: new Date(Date.now() + Math.min(input.expiresInMs, maxTokenLifetimeMs)),
    },
  });
  await appendAudit(db, { actor, action: "token.create", ip: actor.ip, target: { type: "apiToken", id: row.id }, detail: { name: row.name, scopes: row.scopes } });
  return { token, dto: toDTO(row) };
}

/**
 * When a token stops working: its expiry, and never later than a year after
 * its creation — tokens created "never expiring" by older versions included.
 */
export function tokenExpiry(r: { createdAt: Date; expiresAt: Date | null }): Date {
  const cap = r.createdAt.getTime() + maxTokenLifetimeMs;
  return new Date(Math.min(r.expiresAt?.getTime() ?? cap, cap));
}

function toDTO(r: { id: string; name: string; prefix: string; scopes: string; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt: Date | null }): ApiTokenDTO {
  return { id: r.id, name: r.name, prefix: r.prefix, scopes: parseScopes(r.scopes), createdAt: r.createdAt, expiresAt: tokenExpiry(r), lastUsedAt: r.lastUsedAt, revoked: !!r.revokedAt };
}

export async function listApiTokens(db: Db, userId: string): Promise<ApiTokenDTO[]> {
  return (await db.apiToken.findMany({ where: { userId }, orderBy: { createdAt: "desc" } })).map(toDTO);
}

export async function revokeApiToken(db: Db, tokenId: string, userId: string, actor: Actor): Promise<boolean> {
  const res = await db.apiToken.updateMany({ where: { id: tokenId, userId, revokedAt: null }, data: { revokedAt: new Date() } });
  forgetValidatedTokens(db);
  if (res.count) await appendAudit(db, { actor, action: "token.revoke", ip: actor.ip, target: { type: "apiToken", id: tokenId } });
  return res.count > 0;
}

/** Resolves an `Authorization: Bearer kwt_…` token, or null. */
export async function authenticateBearer(db: Db, authorization: string | null, now = new Date()): Promise<TokenPrincipal | null> {
  const m = /^Bearer\s+(kwt_[A-Za-z0-9_-]{20,100})$/.exec(authorization ?? "");
  if (!m) return null;
  const hash = tokenHash(m[1]!);
  const hit = recentlyValidated<TokenPrincipal>(db, hash, now);
  if (hit) return hit;
  const row = await db.apiToken.findUnique({ where: { tokenHash: hash }, include: { user: { select: { id: true, email: true, role: true, disabledAt: true } } } });
  if (!row || row.revokedAt || row.user.disabledAt || tokenExpiry(row) <= now) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  const scopes = parseScopes(row.scopes).filter((s) => atLeast(row.user.role, tokenScopes[s]));
  const principal = { tokenId: row.id, user: { id: row.user.id, email: row.user.email, role: row.user.role }, scopes };
  rememberValidated(db, hash, principal, Math.min(now.getTime() + reuseMs, tokenExpiry(row).getTime()));
  return principal;
}
