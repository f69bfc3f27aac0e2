import "server-only";
import { requireUser } from "../auth/request";
import { latestBalances, type AccountBalances } from "../bot-settings/balances";
import { botKeySelect, toBotDTO, type BotDTO, type EventDTO, type OrderDTO, type TradeDTO } from "../bot-settings/dto";
import { botEvents, botOrders, botTrades } from "../bot-settings/history";
import type { Page } from "../db/paging";
import { db } from "../db/client";
import { InvalidInputError } from "../errors";
import { latestEventId } from "./live";

export interface BotDetail {
  bot: BotDTO;
  openOrders: OrderDTO[];
  orders: Page<OrderDTO>;
  trades: Page<TradeDTO>;
  events: Page<EventDTO>;
  /** the bot's account at its last balance snapshot (its key's, or the paper account) */
  balances: AccountBalances | null;
  /** other live bots on the same exchange account (their keys name it): the balances are theirs too */
  sharedWith: string[];
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
    latestBalances(db(), { botId: id }),
    // the PnL of the present symbol and mode (it starts again when they change)
    db().botPnlPoint.findMany({ where: { botId: id, at: { gte: new Date(Math.max(Date.now() - 30 * 86_400_000, row.positionSince?.getTime() ?? 0)) } }, orderBy: { at: "desc" }, take: 2000, select: { at: true, totalPnl: true } }),
  ]);
  const account = balances[0]?.exchangeAccount;
  // other live bots whose keys are of the same exchange account: the balances are theirs too
  const sharedWith = account
    ? (await db().bot.findMany({ where: { id: { not: id }, deletedAt: null, mode: "live", key: { exchange: row.exchange, accountUid: account } }, select: { name: true }, orderBy: { name: "asc" } })).map((b) => b.name)
    : [];
  return {
    bot: toBotDTO(row),
    openOrders: open.items,
    sharedWith,
    orders,
    trades,
    events,
    balances: balances[0] ?? null,
    pnlCurve: curve.reverse().map((p) => ({ at: p.at.toISOString(), totalPnl: p.totalPnl })),
    since,
  };
}
