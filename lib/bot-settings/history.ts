/**
 * Bots, and a bot's orders, fills and events, newest first, in pages: `limit` (1–500,
 * default 50) and an opaque `cursor` from the previous page's `nextCursor`
 * (null on the last page; lib/db/paging.ts). Shared by the pages and /api/v1;
 * callers check access first.
 */
import "server-only";
import type { Db } from "../db/client";
import { InvalidInputError } from "../errors";
import { decodeTimeCursor, olderThan, pageFrom, pageSize, type Page, type PageRequest } from "../db/paging";
import { botKeySelect, toBotDTO, toEventDTO, toOrderDTO, toTradeDTO, type BotDTO, type EventDTO, type OrderDTO, type TradeDTO } from "./dto";

export async function botsPage(db: Db, req: PageRequest): Promise<Page<BotDTO>> {
  const take = pageSize(req.limit);
  const rows = await db.bot.findMany({ where: { deletedAt: null, ...olderThan("createdAt", decodeTimeCursor(req.cursor)) }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: take + 1, include: { key: botKeySelect } });
  return pageFrom(rows, take, (r) => r.createdAt, toBotDTO);
}

export async function botOrders(db: Db, botId: string, req: PageRequest & { status?: string[] }): Promise<Page<OrderDTO>> {
  const take = pageSize(req.limit);
  const rows = await db.order.findMany({
    where: { botId, ...(req.status?.length ? { status: { in: req.status } } : {}), ...olderThan("createdAt", decodeTimeCursor(req.cursor)) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: take + 1,
  });
  return pageFrom(rows, take, (r) => r.createdAt, toOrderDTO);
}

export async function botTrades(db: Db, botId: string, req: PageRequest): Promise<Page<TradeDTO>> {
  const take = pageSize(req.limit);
  const rows = await db.trade.findMany({ where: { botId, ...olderThan("executedAt", decodeTimeCursor(req.cursor)) }, orderBy: [{ executedAt: "desc" }, { id: "desc" }], take: take + 1 });
  return pageFrom(rows, take, (r) => r.executedAt, toTradeDTO);
}

export async function botEvents(db: Db, botId: string, req: PageRequest): Promise<Page<EventDTO>> {
  return events(db, { botId }, req);
}

/** Events of every bot (or one), of some types (a kind's first part: order, trade, bot…), newest first. */
export async function events(db: Db, filter: { botId?: string; types?: string[] }, req: PageRequest): Promise<Page<EventDTO>> {
  const take = pageSize(req.limit);
  let before: number | undefined;
  if (req.cursor) {
    before = Number(req.cursor);
    if (!/^\d{1,15}$/.test(req.cursor)) throw new InvalidInputError("That cursor is not valid: pass the nextCursor of a previous page.");
  }
  const kinds = filter.types?.length ? { OR: filter.types.flatMap((t) => [{ kind: { startsWith: `${t}.` } }, { kind: { equals: t } }]) } : {};
  const rows = await db.botEvent.findMany({ where: { ...(filter.botId ? { botId: filter.botId } : {}), ...kinds, ...(before !== undefined ? { id: { lt: before } } : {}) }, orderBy: { id: "desc" }, take: take + 1 });
  const items = rows.slice(0, take);
  return { items: items.map(toEventDTO), nextCursor: rows.length > take ? String(items.at(-1)!.id) : null };
}
