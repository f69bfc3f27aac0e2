/**
 * Rotating a bot's key: the new key goes through the full add flow (verify,
 * scopes, withdraw refusal, seal); then the bot is bound to it — keeping its
 * orders and events — and the old key is revoked.
 */
import "server-only";
import { appendAudit } from "../audit/append";
import type { Actor } from "../auth/users";
import type { Db } from "../db/client";
import { botListChanged } from "../bot-settings/list-cache";
import { freshStart, otherAccount, sameAccount } from "../bot-settings/fresh-start";
import { ordersToFollow, refuseWhileOrdersOpen } from "../bot-settings/open-orders-guard";
import type { AddKeyInput } from "../validation/keys";
import { addKey, type AddKeyResult } from "./add-key";
import { revokeKey } from "./revoke-key";
import { verifyKey } from "./verify";

export class RotationError extends Error {
  override name = "RotationError";
}

export async function rotateBotKey(db: Db, botId: string, input: AddKeyInput, actor: Actor, demoUrl: string | undefined): Promise<AddKeyResult & { oldKeyLabel?: string }> {
  const bot = await db.bot.findFirst({ where: { id: botId, deletedAt: null }, include: { key: true } });
  if (!bot) throw new RotationError("That bot does not exist.");
  if (input.exchange !== bot.exchange) throw new RotationError(`The new key must be for the bot's exchange (${bot.exchange}).`);
  if (bot.desiredState !== "stopped") throw new RotationError(`Stop "${bot.name}" before rotating its key.`);
  // open orders stay followed through a key of the same exchange account (it sees and cancels them): checked before the key is stored
  let verified;
  const open = await ordersToFollow(db, bot);
  if (open > 0) {
    verified = await verifyKey(input.exchange, { apiKey: input.apiKey, secret: input.secret, password: input.password }, demoUrl, input.declared);
    if (!sameAccount(bot.key, { exchange: input.exchange, accountUid: verified.accountUid })) await refuseWhileOrdersOpen(db, bot, { what: "rotating it to a key not known to be of the same exchange account" }, open);
  }
  const added = await addKey(db, input, actor, demoUrl, verified);
  if (!added.ok) return added;
  const old = bot.key;
  // a key of another account holds none of the bot's position: a live bot starts again there
  const newAccount = bot.mode === "live" && otherAccount(old, await db.exchangeKey.findUnique({ where: { id: added.key.id }, select: { exchange: true, accountUid: true } }));
  await db.bot.update({ where: { id: bot.id }, data: { keyId: added.key.id, status: "stopped", statusMessage: null, ...(newAccount ? freshStart() : {}) } });
  botListChanged(db);
  if (old && old.status !== "revoked") await revokeKey(db, old.id, { cancelOrders: false, reason: `Rotated: replaced by "${added.key.label}"` }, actor);
  await appendAudit(db, { actor, action: "key.rotate", ip: actor.ip, target: { type: "bot", id: bot.id }, detail: { bot: bot.name, oldKeyId: old?.id ?? null, newKeyId: added.key.id } });
  return { ...added, key: { ...added.key, bot: { id: bot.id, name: bot.name } }, oldKeyLabel: old?.label };
}
