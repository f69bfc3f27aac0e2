/**
 * /api/v1 for watching: balances (each bot's account at its latest snapshot),
 * events across bots, and cancelling one order (operate). The live stream is
 * app/api/v1/stream.
 */
import "server-only";
import { latestBalances } from "../bot-settings/balances";
import { askCancelOrder } from "../bot-settings/control";
import { events } from "../bot-settings/history";
import { db } from "../db/client";
import { ServiceError } from "../errors";
import { ApiError, requireToken } from "./auth";
import { actorOf, mapError, query } from "./handlers";
import { balancesQuery, eventsQuery } from "./schemas";

export async function balancesApi(req: Request): Promise<Response> {
  await requireToken(req, "read");
  const q = query(req, balancesQuery);
  return Response.json({ accounts: await latestBalances(db(), { paper: q.paper === "true" }) });
}

/** GET /api/v1/bots/:id/balances (the caller checked the token and the bot). */
export async function botBalancesApi(botId: string): Promise<Response> {
  const [latest] = await latestBalances(db(), { botId });
  return Response.json({ balances: latest ?? null });
}

export async function eventsApi(req: Request): Promise<Response> {
  await requireToken(req, "read");
  const q = query(req, eventsQuery);
  try {
    const page = await events(db(), { botId: q.bot, types: q.types?.split(",").filter(Boolean) }, q);
    return Response.json({ events: page.items, nextCursor: page.nextCursor });
  } catch (err) {
    if (err instanceof ServiceError) throw new ApiError(400, "bad_query", err.message);
    throw err;
  }
}

export async function cancelOrderApi(req: Request, orderId: string): Promise<Response> {
  const p = await requireToken(req, "operate");
  const order = await db().order.findUnique({ where: { id: orderId }, select: { botId: true } });
  if (!order) throw new ApiError(404, "not_found", "That order does not exist.");
  const r = await askCancelOrder(db(), order.botId, orderId, actorOf(p, req)).catch(mapError);
  return Response.json(r, { status: 202 });
}
