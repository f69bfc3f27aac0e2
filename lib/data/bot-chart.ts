import "server-only";
import { requireUser } from "../auth/request";
import { db } from "../db/client";
import { safeErrorMessage } from "../exchange/errors";
import { webMarket } from "./market";
import { positionTrades } from "../bots/positions";
import type { ChartDTO, ChartTimeframe } from "../bot-settings/dto";

export { chartTimeframes, type ChartTimeframe } from "../bot-settings/dto";


/** The bot's symbol as candles with its open orders and its fills in that window; null when there is no such bot. */
export async function botChart(botId: string, timeframe: ChartTimeframe = "1m"): Promise<ChartDTO | null> {
  await requireUser("viewer");
  const bot = await db().bot.findFirst({ where: { id: botId, deletedAt: null }, select: { exchange: true, symbol: true, positionSince: true } });
  if (!bot) return null;
  let candles: ChartDTO["candles"] = [];
  let error: string | null = null;
  try {
    candles = (await webMarket().chartCandles(bot.exchange, bot.symbol, timeframe, 150)).map(({ time, open, high, low, close }) => ({ time, open, high, low, close }));
  } catch (err) {
    error = `Prices could not be loaded from ${bot.exchange}: ${safeErrorMessage(err)}`;
  }
  const since = new Date(candles[0]?.time ?? Date.now() - 3_600_000);
  const [open, fills] = await Promise.all([
    db().order.findMany({ where: { botId, status: { in: ["pending", "open"] }, price: { not: null } }, select: { id: true, side: true, price: true }, take: 100 }),
    // fills on this symbol: those since it last changed
    db().trade.findMany({ where: { ...positionTrades(botId, bot.positionSince), executedAt: { gte: since } }, orderBy: { executedAt: "desc" }, take: 500, select: { executedAt: true, side: true, price: true, amount: true } }),
  ]);
  return {
    symbol: bot.symbol,
    timeframe,
    candles,
    openOrders: open.map((o) => ({ id: o.id, side: o.side, price: o.price! })),
    fills: fills.reverse().map((f) => ({ time: f.executedAt.getTime(), side: f.side as "buy" | "sell", price: f.price, amount: f.amount })),
    error,
  };
}
