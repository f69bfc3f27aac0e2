/**
 * Re-verifying a key's scopes at the exchange (on demand, every 6 hours, and
 * on bot start). A change — withdraw turned on, IP restriction removed, key
 * deleted — raises a warning event; a bot whose key gained withdraw or
 * transfer permission without an accepted override is paused.
 */
import type { Db } from "../db/client";
import { loadCredentials } from "../exchange/credentials";
import { classifyError, safeErrorMessage } from "../exchange/errors";
import { openExchange } from "../exchange/open";
import { detectScopes } from "../exchange/scopes";
import type { Keyring } from "../vault/open";

export const recheckEveryMs = 6 * 3_600_000;

interface Ctx {
  db: Db;
  keyring: Keyring;
  demoUrl: string | undefined;
}

async function warn(db: Db, keyId: string, botId: string | null, kind: string, message: string, data: object = {}) {
  await db.botEvent.create({ data: { keyId, botId, level: "warn", kind, message, data: JSON.stringify(data) } });
}

/**
 * A running bot is paused (its runner keeps its open orders and follows them,
 * but places nothing); a bot that is not running is marked paused with the
 * reason, so it is not started by mistake.
 */
async function pauseBot(db: Db, botId: string, why: string) {
  const bot = await db.bot.findUniqueOrThrow({ where: { id: botId }, select: { desiredState: true } });
  if (bot.desiredState === "running" || bot.desiredState === "paused") await db.bot.update({ where: { id: botId }, data: { desiredState: "paused", statusMessage: why, lastError: why, lastErrorAt: new Date() } });
  else await db.bot.update({ where: { id: botId }, data: { desiredState: "stopped", status: "paused", statusMessage: why, statusSince: new Date() } });
}

/**
 * `botWasStarting`: the bot's runner asked (on start) and decides itself
 * whether the bot may start; the bot is not paused here.
 */
export async function recheckKey(ctx: Ctx, keyId: string, opts: { botWasStarting?: boolean } = {}): Promise<string> {
  const key = await ctx.db.exchangeKey.findUniqueOrThrow({ where: { id: keyId }, include: { bot: { select: { id: true } } } });
  if (key.status === "revoked") return "skipped: the key is revoked";
  if (key.scopeSource === "declared") {
    await ctx.db.exchangeKey.update({ where: { id: keyId }, data: { verifiedAt: new Date() } });
    return "skipped: this exchange cannot report key permissions (declared scopes)";
  }
  const botId = key.bot?.id ?? null;
  const pausable = opts.botWasStarting ? null : botId;
  const { exchange, credentials } = await loadCredentials(ctx.db, ctx.keyring, keyId);
  let scopes;
  try {
    const ex = await openExchange({ exchange, credentials, demoUrl: ctx.demoUrl, timeoutMs: 8000 });
    scopes = await detectScopes(ex, exchange, credentials.apiKey);
  } catch (err) {
    if (classifyError(err) !== "authRejected") return `could not re-check now: ${safeErrorMessage(err)}`;
    const message = "The exchange rejected this key at re-check: it was deleted, lost its permissions, or this server's IP is no longer allowed.";
    await ctx.db.exchangeKey.update({ where: { id: keyId }, data: { status: "rejected", statusMessage: message, verifiedAt: new Date() } });
    await warn(ctx.db, keyId, botId, "key.rejected", message);
    if (pausable) await pauseBot(ctx.db, pausable, "Paused: the exchange rejected its key.");
    return `rejected: ${message}`;
  }

  const changes: string[] = [];
  if (scopes.withdraw !== key.canWithdraw) changes.push(scopes.withdraw ? "withdraw permission was turned ON" : "withdraw permission was turned off");
  if (scopes.transfer !== key.canTransfer) changes.push(scopes.transfer ? "transfer permission was turned ON (funds can move between wallets or sub-accounts)" : "transfer permission was turned off");
  if (scopes.ipRestricted !== key.ipRestricted) changes.push(scopes.ipRestricted ? "IP restriction was added" : "IP restriction was REMOVED");
  if (scopes.trade !== key.canTrade) changes.push(scopes.trade ? "trade permission was turned on" : "trade permission was turned off");
  if (scopes.read !== key.canRead) changes.push(scopes.read ? "read permission was turned on" : "read permission was turned off");

  await ctx.db.exchangeKey.update({
    where: { id: keyId },
    data: {
      canRead: scopes.read, canTrade: scopes.trade, canWithdraw: scopes.withdraw, canTransfer: scopes.transfer, ipRestricted: scopes.ipRestricted,
      ipList: JSON.stringify(scopes.ipList), expiresAt: scopes.expiresAt, verifiedAt: new Date(),
      ...(scopes.accountUid ? { accountUid: scopes.accountUid } : {}), // keys added before it was read get it here
      ...(key.status === "rejected" ? { status: "active", statusMessage: null } : {}),
    },
  });
  // the flags are what alerts read (lib/alerts/from-events.ts)
  const flags = { withdrawEnabled: scopes.withdraw && !key.canWithdraw, transferEnabled: scopes.transfer && !key.canTransfer, ipUnrestricted: !scopes.ipRestricted && key.ipRestricted };
  if (changes.length) await warn(ctx.db, keyId, botId, "key.scopes-changed", `Key "${key.label}": ${changes.join("; ")}.`, { changes, ...flags });
  if (scopes.withdraw && !key.withdrawRiskAcceptedAt && pausable) await pauseBot(ctx.db, pausable, "Paused: its key can now withdraw funds. Remove withdraw permission on the exchange, or rotate the key.");
  else if (scopes.transfer && !key.withdrawRiskAcceptedAt && pausable) await pauseBot(ctx.db, pausable, "Paused: its key can now transfer funds between wallets or sub-accounts, outside the bot's limits. Remove transfer permission on the exchange, or rotate the key.");
  return changes.length ? `changed: ${changes.join("; ")}` : "unchanged";
}

/** Keys not verified for `recheckEveryMs`, oldest first. */
export async function staleKeys(db: Db, now = new Date(), take = 5): Promise<string[]> {
  const rows = await db.exchangeKey.findMany({ where: { status: { in: ["active", "rejected"] }, verifiedAt: { lt: new Date(now.getTime() - recheckEveryMs) } }, orderBy: { verifiedAt: "asc" }, take, select: { id: true } });
  return rows.map((r) => r.id);
}
