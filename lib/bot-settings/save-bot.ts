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
import { marketRules } from "../bots/precision";
import { orderSizeErrors, type OrderSizeLimits } from "../strategies/order-size";
import { Money } from "../money";
import { parseParams, strategies } from "../strategies/registry";
import type { BotInput } from "../validation/keys";
import { botKeySelect, toBotDTO, type BotDTO } from "./dto";
import { freshStart, otherAccount, sameAccount } from "./fresh-start";
import { refuseWhileOrdersOpen } from "./open-orders-guard";

async function keyHolderMessage(db: Db, keyId: string): Promise<string> {
  const holder = await db.bot.findFirst({ where: { keyId }, select: { name: true } });
  return holder ? `That key is already used by bot "${holder.name}". Each bot needs its own key: add another key, or delete or rotate "${holder.name}" first.` : "That key is already bound to another bot.";
}

/**
 * The market's minimum order and (for a bot with a max position) its last price, as the order-size
 * check needs them; refused when the exchange has no such market.
 */
async function marketOf(exchange: string, symbol: string, demoUrl: string | undefined, input: BotInput): Promise<OrderSizeLimits["market"]> {
  let ex: Awaited<ReturnType<typeof openExchange>>;
  try {
    ex = await openExchange({ exchange, demoUrl, timeoutMs: 8000 });
  } catch {
    throw new InvalidInputError(`Could not load ${exchange}'s markets to check the symbol; try again in a moment.`);
  }
  const market = ex.markets?.[symbol];
  if (!market) throw new InvalidInputError("Unknown symbol.", { symbol: [`${exchange} has no market ${symbol}.`] });
  // only the max position needs the price; without it that is not checked
  const lastPrice = input.maxPosition ? await ex.fetchTicker(symbol).then((t) => (t.last ? String(t.last) : null), () => null) : null;
  return { symbol, exchange, base: market.base, quote: market.quote, minNotional: marketRules(market, ex.precisionMode ?? 0).minCost?.toFixed() ?? null, lastPrice };
}

function strategyParams(input: BotInput, rawParams: Record<string, unknown>): Record<string, unknown> {
  const parsed = parseParams(input.strategy, rawParams);
  if (!parsed.ok) throw new InvalidInputError("Please correct the strategy parameters.", parsed.errors);
  return parsed.params;
}

/** Refuses parameters that would make every order of the bot fail (lib/strategies/order-size.ts). */
function checkOrderSize(input: BotInput, params: Record<string, unknown>, market: OrderSizeLimits["market"]): void {
  const errors = orderSizeErrors(strategies[input.strategy]!, params, { maxOrderNotional: input.maxOrderNotional, maxPosition: input.maxPosition, market });
  if (errors) throw new InvalidInputError("Every order of this bot would be refused: see the order size.", errors);
}

export async function createBot(db: Db, input: BotInput, rawParams: Record<string, unknown>, actor: Actor, demoUrl: string | undefined): Promise<BotDTO> {
  const params = strategyParams(input, rawParams);
  const key = await db.exchangeKey.findUnique({ where: { id: input.keyId } });
  if (!key || key.status !== "active") throw new InvalidInputError("Choose an active key.", { keyId: ["That key is not active."] });
  if (!key.canTrade) throw new InvalidInputError("That key cannot trade.", { keyId: ["The exchange says this key has no trade permission."] });
  checkOrderSize(input, params, await marketOf(key.exchange, input.symbol, demoUrl, input));
  try {
    const bot = await db.bot.create({
      data: {
        name: input.name, keyId: key.id, exchange: key.exchange, symbol: input.symbol, strategy: input.strategy, params: JSON.stringify(params),
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
  const bot = await db.bot.findFirst({ where: { id, deletedAt: null }, include: { key: { select: { status: true } } } });
  if (!bot) throw new NotFoundError("That bot does not exist.");
  if (bot.desiredState !== "stopped" || !["stopped", "paused", "error"].includes(bot.status)) throw new InvalidInputError(`Stop "${bot.name}" first.`);
  return bot;
}

export async function updateBot(db: Db, id: string, input: BotInput, rawParams: Record<string, unknown>, actor: Actor, demoUrl: string | undefined): Promise<BotDTO> {
  const bot = await stoppedBot(db, id);
  const params = strategyParams(input, rawParams);
  // another market or account (a paper bot's new paper balance is a new paper account): the position and the strategy's memory start again
  const newPaperBalance = input.mode === "paper" && bot.mode === "paper" && !new Money(input.paperStartQuote).eq(bot.paperStartQuote);
  const newKey = input.keyId !== bot.keyId ? await db.exchangeKey.findUnique({ where: { id: input.keyId } }) : null;
  const oldKey = newKey && bot.keyId ? await db.exchangeKey.findUnique({ where: { id: bot.keyId }, select: { exchange: true, accountUid: true } }) : null;
  const newLiveAccount = input.mode === "live" && bot.mode === "live" && otherAccount(oldKey, newKey);
  const newStart = input.symbol !== bot.symbol || input.mode !== bot.mode || newPaperBalance || newLiveAccount;
  // a change its open orders would not survive (the first one named): one count of them
  const orphaning =
    input.symbol !== bot.symbol ? { what: "changing its symbol", field: "symbol" }
    : input.mode !== bot.mode ? { what: `switching it to ${input.mode}`, field: "mode" }
    : newPaperBalance ? { what: "a new paper balance", field: "paperStartQuote" }
    : input.keyId !== bot.keyId && !sameAccount(oldKey, newKey) ? { what: "changing its key to one not known to be of the same exchange account", field: "keyId" }
    : null;
  if (orphaning) await refuseWhileOrdersOpen(db, bot, orphaning);
  if (input.keyId !== bot.keyId) {
    if (!newKey || newKey.status !== "active" || !newKey.canTrade) throw new InvalidInputError("Choose an active key that can trade.", { keyId: ["Not usable."] });
    if (newKey.exchange !== bot.exchange) throw new InvalidInputError(`The new key must be for ${bot.exchange}.`, { keyId: ["Wrong exchange."] });
  }
  // a new symbol must exist; for the bot's own, an exchange that cannot be reached only leaves the market's minimum unchecked
  const market = await marketOf(bot.exchange, input.symbol, demoUrl, input).catch((err: unknown) => {
    if (input.symbol !== bot.symbol) throw err;
    return null;
  });
  checkOrderSize(input, params, market);
  try {
    const updated = await db.bot.update({
      where: { id },
      data: {
        name: input.name, keyId: input.keyId, symbol: input.symbol, strategy: input.strategy, params: JSON.stringify(params), mode: input.mode, tickSeconds: input.tickSeconds,
        maxOrderNotional: input.maxOrderNotional, maxDailyLoss: input.maxDailyLoss, maxOpenOrders: input.maxOpenOrders, maxPosition: input.maxPosition ?? null, paperStartQuote: input.paperStartQuote,
        allowedSymbols: JSON.stringify([input.symbol]), strategyState: input.strategy === bot.strategy ? undefined : "{}",
        // what the runner last showed belongs to the old market or account; the position counts the fills of orders placed from now on
        ...(newStart ? freshStart() : {}),
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
  await refuseWhileOrdersOpen(db, bot, { what: "deleting it" });
  await db.bot.update({ where: { id }, data: { deletedAt: new Date(), keyId: null } });
  botListChanged(db);
  await appendAudit(db, { actor, action: "bot.delete", ip: actor.ip, target: { type: "bot", id }, detail: { name: bot.name, freedKeyId: bot.keyId } });
  return bot.name;
}
