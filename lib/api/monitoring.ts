/**
 * /api/v1 for watching: balances (the latest snapshot per key, or per bot),
 * events across bots, and cancelling one order (operate). The live stream is
 * app/api/v1/stream.
 */
import "server-only";
import type { z } from "zod";
import { clientIp } from "../auth/client-ip";
import { askCancelOrder } from "../bot-settings/control";
import { events } from "../bot-settings/history";
import { db } from "../db/client";
import { ServiceError } from "../errors";
import { ApiError, requireToken } from "./auth";
import { mapError, query } from "./handlers";
import { balancesQuery, eventsQuery, type keyBalancesOut } from "./schemas";

type KeyBalances = z.output<typeof keyBalancesOut>;

/** The newest snapshot of each key (or bot) matching `where`, grouped. */
async function latestSnapshots(where: { paper?: boolean; botId?: string }): Promise<KeyBalances[]> {
  const latest = await db().balanceSnapshot.groupBy({ by: ["keyId"], where, _max: { takenAt: true } });
  if (!latest.length) return [];
  const rows = await db().balanceSnapshot.findMany({ where: { ...where, OR: latest.map((l) => ({ keyId: l.keyId, takenAt: l._max.takenAt! })) }, orderBy: [{ keyId: "asc" }, { currency: "asc" }] });
  const keys = new Map((await db().exchangeKey.findMany({ where: { id: { in: latest.map((l) => l.keyId) } }, select: { id: true, label: true, exchange: true } })).map((k) => [k.id, k]));
  const out = new Map<string, KeyBalances>();
  for (const r of rows) {
    const k = keys.get(r.keyId);
    const entry = out.get(r.keyId) ?? { keyId: r.keyId, keyLabel: k?.label ?? "?", exchange: k?.exchange ?? "?", botId: r.botId, paper: r.paper, takenAt: r.takenAt.toISOString(), balances: [] };
    entry.balances.push({ currency: r.currency, free: r.free, used: r.used, total: r.total });
    out.set(r.keyId, entry);
  }
  return [...out.values()];
}

export async function balancesApi(req: Request): Promise<Response> {
  await requireToken(req, "read");
  const q = query(req, balancesQuery);
  return Response.json({ keys: await latestSnapshots({ paper: q.paper === "true" }) });
}

/** GET /api/v1/bots/:id/balances (the caller checked the token and the bot). */
export async function botBalancesApi(botId: string): Promise<Response> {
  const [latest] = await latestSnapshots({ botId });
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
  const r = await askCancelOrder(db(), order.botId, orderId, { id: p.user.id, label: `${p.user.email} (API token)`, ip: clientIp(req.headers) }).catch(mapError);
  return Response.json(r, { status: 202 });
}
