/**
 * Creating, editing and deleting bots. One key per bot is enforced by the
 * database's unique constraint on Bot.keyId; a clash is reported with the
 * name of the bot that holds the key. Bots are edited and deleted only while
 * stopped; a deleted bot keeps its history and frees its key.
 */
import "server-only";
import { appendAudit } from "../audit/append";
import type { Actor } from "../auth/users";
import type { Db } from "../db/client";
import { botListChanged } from "./list-cache";
import { ConflictError, InvalidInputError, isUniqueViolation, NotFoundError } from "../errors";
import { openExchange } from "../exchange/open";
import { parseParams } from "../strategies/registry";
import type { BotInput } from "../validation/keys";
import { botKeySelect, toBotDTO, type BotDTO } from "./dto";

async function keyHolderMessage(db: Db, keyId: string): Promise<string> {
  const holder = await db.bot.findFirst({ where: { keyId }, select: { name: true } });
  return holder ? `That key is already used by bot "${holder.name}". Each bot needs its own key: add another key, or delete or rotate "${holder.name}" first.` : "That key is already bound to another bot.";
}

async function checkSymbol(exchange: string, symbol: string, demoUrl: string | undefined): Promise<void> {
  let symbols: string[];
  try {
    symbols = (await openExchange({ exchange, demoUrl, timeoutMs: 8000 })).symbols;
  } catch {
    throw new InvalidInputError(`Could not load ${exchange}'s markets to check the symbol; try again in a moment.`);
  }
  if (!symbols.includes(symbol)) throw new InvalidInputError("Unknown symbol.", { symbol: [`${exchange} has no market ${symbol}.`] });
}

export async function createBot(db: Db, input: BotInput, rawParams: Record<string, unknown>, actor: Actor, demoUrl: string | undefined): Promise<BotDTO> {
  const params = parseParams(input.strategy, rawParams);
  if (!params.ok) throw new InvalidInputError("Please correct the strategy parameters.", params.errors);
  const key = await db.exchangeKey.findUnique({ where: { id: input.keyId } });
  if (!key || key.status !== "active") throw new InvalidInputError("Choose an active key.", { keyId: ["That key is not active."] });
  if (!key.canTrade) throw new InvalidInputError("That key cannot trade.", { keyId: ["The exchange says this key has no trade permission."] });
  await checkSymbol(key.exchange, input.symbol, demoUrl);
  try {
    const bot = await db.bot.create({
      data: {
        name: input.name, keyId: key.id, exchange: key.exchange, symbol: input.symbol, strategy: input.strategy, params: JSON.stringify(params.params),
        mode: input.mode, tickSeconds: input.tickSeconds, maxOrderNotional: input.maxOrderNotional, maxDailyLoss: input.maxDailyLoss, maxOpenOrders: input.maxOpenOrders,
        maxPosition: input.maxPosition ?? null, paperStartQuote: input.paperStartQuote, allowedSymbols: JSON.stringify([input.symbol]), createdById: actor.id,
      },
      include: { key: botKeySelect },
    });
    botListChanged(db);
    await appendAudit(db, { actor, action: "bot.create", ip: actor.ip, target: { type: "bot", id: bot.id }, detail: { name: bot.name, keyId: key.id, keyLabel: key.label, symbol: bot.symbol, mode: bot.mode } });
    return toBotDTO(bot);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(await keyHolderMessage(db, key.id), { keyId: ["Already in use."] });
    throw err;
  }
}

async function stoppedBot(db: Db, id: string) {
  const bot = await db.bot.findFirst({ where: { id, deletedAt: null } });
  if (!bot) throw new NotFoundError("That bot does not exist.");
  if (bot.desiredState !== "stopped" || !["stopped", "paused", "error"].includes(bot.status)) throw new InvalidInputError(`Stop "${bot.name}" first.`);
  return bot;
}

export async function updateBot(db: Db, id: string, input: BotInput, rawParams: Record<string, unknown>, actor: Actor, demoUrl: string | undefined): Promise<BotDTO> {
  const bot = await stoppedBot(db, id);
  const params = parseParams(input.strategy, rawParams);
  if (!params.ok) throw new InvalidInputError("Please correct the strategy parameters.", params.errors);
  if (input.keyId !== bot.keyId) {
    const key = await db.exchangeKey.findUnique({ where: { id: input.keyId } });
    if (!key || key.status !== "active" || !key.canTrade) throw new InvalidInputError("Choose an active key that can trade.", { keyId: ["Not usable."] });
    if (key.exchange !== bot.exchange) throw new InvalidInputError(`The new key must be for ${bot.exchange}.`, { keyId: ["Wrong exchange."] });
  }
  if (input.symbol !== bot.symbol) await checkSymbol(bot.exchange, input.symbol, demoUrl);
  try {
    const updated = await db.bot.update({
      where: { id },
      data: {
        name: input.name, keyId: input.keyId, symbol: input.symbol, strategy: input.strategy, params: JSON.stringify(params.params), mode: input.mode, tickSeconds: input.tickSeconds,
        maxOrderNotional: input.maxOrderNotional, maxDailyLoss: input.maxDailyLoss, maxOpenOrders: input.maxOpenOrders, maxPosition: input.maxPosition ?? null, paperStartQuote: input.paperStartQuote,
        allowedSymbols: JSON.stringify([input.symbol]), strategyState: input.strategy === bot.strategy ? undefined : "{}",
        ...(input.symbol !== bot.symbol || input.mode !== bot.mode ? { paperBalances: "{}" } : {}),
      },
      include: { key: botKeySelect },
    });
    botListChanged(db);
    await appendAudit(db, { actor, action: "bot.update", ip: actor.ip, target: { type: "bot", id }, detail: { name: updated.name, mode: updated.mode, keyId: updated.keyId, symbol: updated.symbol } });
    return toBotDTO(updated);
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(await keyHolderMessage(db, input.keyId), { keyId: ["Already in use."] });
    throw err;
  }
}

export async function deleteBot(db: Db, id: string, actor: Actor): Promise<string> {
  const bot = await stoppedBot(db, id);
  await db.bot.update({ where: { id }, data: { deletedAt: new Date(), keyId: null } });
  botListChanged(db);
  await appendAudit(db, { actor, action: "bot.delete", ip: actor.ip, target: { type: "bot", id }, detail: { name: bot.name, freedKeyId: bot.keyId } });
  return bot.name;
}
