/**
 * /api/v1 for running bots: their state and history (read), control (operate),
 * the kill switch (admin), key re-checks (operate) and the strategies (read).
 */
import "server-only";
import { replayBot } from "../backtest/replay";
import { botActions, controlBot, killSwitch, type BotAction } from "../bot-settings/control";
import { botKeySelect, toBotDTO } from "../bot-settings/dto";
import { botEvents, botOrders, botTrades } from "../bot-settings/history";
import { fillsCsvResponse } from "../data/bot-fills-csv";
import { db } from "../db/client";
import { env } from "../env";
import { ServiceError } from "../errors";
import { askWorker } from "../keys/worker-command";
import { paramsJsonSchema, strategies } from "../strategies/registry";
import { ApiError, requireToken } from "./auth";
import { actorOf, flagQuery, mapError, query } from "./handlers";
import { botBalancesApi } from "./monitoring";
import { ordersQuery, pageQuery } from "./schemas";

async function botOr404(id: string) {
  const bot = await db().bot.findFirst({ where: { id, deletedAt: null }, include: { key: botKeySelect } });
  if (!bot) throw new ApiError(404, "not_found", "That bot does not exist.");
  return bot;
}

export async function getBotApi(req: Request, id: string): Promise<Response> {
  await requireToken(req, "read");
  return Response.json({ bot: toBotDTO(await botOr404(id)) });
}

export async function botHistoryApi(req: Request, id: string, what: string): Promise<Response> {
  await requireToken(req, "read");
  if (!["orders", "trades", "trades.csv", "events", "balances", "replay"].includes(what)) throw new ApiError(404, "not_found", "No such API endpoint. See /api/v1/openapi.json.");
  const bot = await botOr404(id);
  if (what === "trades.csv") return fillsCsvResponse(db(), bot);
  if (what === "balances") return botBalancesApi(id);
  if (what === "replay") return Response.json({ replay: await replayBot(db(), id, { demoUrl: env().demoExchangeUrl }).catch(mapError) });
  try {
    if (what === "orders") {
      const q = query(req, ordersQuery);
      const page = await botOrders(db(), id, { limit: q.limit, cursor: q.cursor, status: q.status?.split(",").filter(Boolean) });
      return Response.json({ orders: page.items, nextCursor: page.nextCursor });
    }
    const q = query(req, pageQuery);
    const page = what === "trades" ? await botTrades(db(), id, q) : await botEvents(db(), id, q);
    return Response.json({ [what]: page.items, nextCursor: page.nextCursor });
  } catch (err) {
    if (err instanceof ServiceError) throw new ApiError(400, "bad_query", err.message);
    throw err;
  }
}

export async function controlBotApi(req: Request, id: string, action: string): Promise<Response> {
  const p = await requireToken(req, "operate");
  if (!(botActions as readonly string[]).includes(action)) throw new ApiError(404, "not_found", "No such API endpoint. See /api/v1/openapi.json.");
  const cancelOrders = flagQuery(req, "cancelOrders");
  const r = await controlBot(db(), id, action as BotAction, { cancelOrders }, actorOf(p, req)).catch(mapError);
  return Response.json({ message: r.message, bot: toBotDTO(await botOr404(id)) }, { status: 202 });
}

export async function killSwitchApi(req: Request): Promise<Response> {
  const p = await requireToken(req, "admin");
  const r = await killSwitch(db(), actorOf(p, req));
  return Response.json({ message: `Kill switch: ${r.bots} bot(s) stopping; every open order is being cancelled.`, bots: r.bots }, { status: 202 });
}

export async function recheckKeyApi(req: Request, id: string): Promise<Response> {
  const p = await requireToken(req, "operate");
  const key = await db().exchangeKey.findUnique({ where: { id } });
  if (!key || key.status === "revoked") throw new ApiError(404, "not_found", "That key does not exist or is revoked.");
  const result = await askWorker(db(), { kind: "recheck-key", keyId: id, createdById: p.user.id }, 15_000);
  if (result === null) throw new ApiError(503, "worker_unavailable", "No worker answered within 15 s. Is it running (see /api/health)?");
  return Response.json({ result });
}

export async function listStrategiesApi(req: Request): Promise<Response> {
  await requireToken(req, "read");
  return Response.json({ strategies: Object.values(strategies).map((s) => ({ id: s.id, version: s.version, name: s.name, description: s.description, params: paramsJsonSchema(s.id) })) });
}
