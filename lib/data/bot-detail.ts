import "server-only";
import { requireUser } from "../auth/request";
import { botKeySelect, toBotDTO, type BotDTO, type EventDTO, type OrderDTO, type TradeDTO } from "../bot-settings/dto";
import { botEvents, botOrders, botTrades, type Page } from "../bot-settings/history";
import { db } from "../db/client";
import { InvalidInputError } from "../errors";
import { latestEventId } from "./live";

export interface BalanceRow {
  currency: string;
  free: string;
  used: string;
  total: string;
}

export interface BotDetail {
  bot: BotDTO;
  openOrders: OrderDTO[];
  orders: Page<OrderDTO>;
  trades: Page<TradeDTO>;
  events: Page<EventDTO>;
  /** the bot's account balances at the last snapshot (its key's, or the paper account) */
  balances: { at: string; paper: boolean; rows: BalanceRow[] } | null;
  /** total PnL over time (the equity curve), oldest first */
  pnlCurve: { at: string; totalPnl: string }[];
  /** the newest event id when the page was read: the live stream starts after it */
  since: number;
}

/** What the bot page's order history shows (from its query string). */
export const orderFilters = { all: [], open: ["pending", "open"], filled: ["closed"], canceled: ["canceled", "expired"], rejected: ["rejected"] } as const satisfies Record<string, string[]>;
export type OrderFilter = keyof typeof orderFilters;

export interface BotDetailQuery {
  orderFilter?: OrderFilter;
  ordersCursor?: string;
  tradesCursor?: string;
  eventsCursor?: string;
}

/** A bot with everything its page shows; null when there is no such bot. A bad cursor reads the first page. */
export async function botDetail(id: string, q: BotDetailQuery = {}): Promise<BotDetail | null> {
  await requireUser("viewer");
  const since = await latestEventId();
  const row = await db().bot.findFirst({ where: { id, deletedAt: null }, include: { key: botKeySelect } });
  if (!row) return null;
  const firstPageOn = <T,>(read: (cursor: string | undefined) => Promise<T>, cursor: string | undefined) =>
    read(cursor).catch((err) => {
      if (err instanceof InvalidInputError && cursor) return read(undefined);
      throw err;
    });
  const [open, orders, trades, events, balances, curve] = await Promise.all([
    botOrders(db(), id, { limit: 100, status: [...orderFilters.open] }),
    firstPageOn((cursor) => botOrders(db(), id, { limit: 25, cursor, status: [...orderFilters[q.orderFilter ?? "all"]] }), q.ordersCursor),
    firstPageOn((cursor) => botTrades(db(), id, { limit: 25, cursor }), q.tradesCursor),
    firstPageOn((cursor) => botEvents(db(), id, { limit: 30, cursor }), q.eventsCursor),
    latestBalances(id),
    db().botPnlPoint.findMany({ where: { botId: id, at: { gte: new Date(Date.now() - 30 * 86_400_000) } }, orderBy: { at: "desc" }, take: 2000, select: { at: true, totalPnl: true } }),
  ]);
  return {
    bot: toBotDTO(row),
    openOrders: open.items,
    orders,
    trades,
    events,
    balances,
    pnlCurve: curve.reverse().map((p) => ({ at: p.at.toISOString(), totalPnl: p.totalPnl })),
    since,
  };
}

async function latestBalances(botId: string): Promise<BotDetail["balances"]> {
  const last = await db().balanceSnapshot.findFirst({ where: { botId }, orderBy: { takenAt: "desc" }, select: { takenAt: true, paper: true } });
  if (!last) return null;
  const rows = await db().balanceSnapshot.findMany({ where: { botId, takenAt: last.takenAt }, orderBy: { currency: "asc" }, select: { currency: true, free: true, used: true, total: true } });
  return { at: last.takenAt.toISOString(), paper: last.paper, rows };
}
