import "server-only";
import { requireUser } from "../auth/request";
import { botKeySelect, toBotDTO, type BotDTO, type EventDTO, type OrderDTO, type TradeDTO } from "../bot-settings/dto";
import { botEvents, botOrders, botTrades } from "../bot-settings/history";
import { db } from "../db/client";

export interface BotDetail {
  bot: BotDTO;
  openOrders: OrderDTO[];
  orders: OrderDTO[];
  trades: TradeDTO[];
  events: EventDTO[];
}

/** A bot with its open orders and its last 50 orders, fills and events; null when there is no such bot. */
export async function botDetail(id: string): Promise<BotDetail | null> {
  await requireUser("viewer");
  const row = await db().bot.findFirst({ where: { id, deletedAt: null }, include: { key: botKeySelect } });
  if (!row) return null;
  const [open, orders, trades, events] = await Promise.all([
    botOrders(db(), id, { limit: 100, status: ["pending", "open"] }),
    botOrders(db(), id, { limit: 50 }),
    botTrades(db(), id, { limit: 50 }),
    botEvents(db(), id, { limit: 50 }),
  ]);
  return { bot: toBotDTO(row), openOrders: open.items, orders: orders.items, trades: trades.items, events: events.items };
}
