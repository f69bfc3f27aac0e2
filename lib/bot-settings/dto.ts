/** What pages and the API see of a bot, its orders, fills and events. Never a credential. */
export interface PnlSummary {
  position: string;
  averageEntry: string | null;
  realizedPnl: string;
  unrealizedPnl: string | null;
  totalPnl: string | null;
  dailyPnl: string;
  fees: string;
  lastPrice: string;
  base: string;
  quote: string;
  /** when the runner computed it */
  at: string;
}

export interface BotDTO {
  id: string;
  name: string;
  /** withdraw, transfer: the key's rights that move money (shown as red badges) */
  key: { id: string; label: string; maskedKeyId: string; status: string; withdraw: boolean; transfer: boolean } | null;
  exchange: string;
  symbol: string;
  strategy: string;
  params: Record<string, unknown>;
  mode: string;
  tickSeconds: number;
  desiredState: string;
  status: string;
  statusMessage: string | null;
  statusSince: string;
  workerId: string | null;
  lastError: string | null;
  lastErrorAt: string | null;
  maxOrderNotional: string;
  maxDailyLoss: string;
  maxOpenOrders: number;
  maxPosition: string | null;
  paperStartQuote: string;
  pnl: PnlSummary | null;
  /** the market's price tick and amount step as the runner last loaded them (for formatting); null before its first start */
  market: MarketRulesDTO | null;
  createdAt: string;
}

export interface MarketRulesDTO {
  priceTick: string | null;
  amountStep: string | null;
}

interface BotRow {
  id: string;
  name: string;
  exchange: string;
  symbol: string;
  strategy: string;
  params: string;
  mode: string;
  tickSeconds: number;
  desiredState: string;
  status: string;
  statusMessage: string | null;
  statusSince: Date;
  workerId: string | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  maxOrderNotional: string;
  maxDailyLoss: string;
  maxOpenOrders: number;
  maxPosition: string | null;
  paperStartQuote: string;
  pnl: string;
  pnlAt: Date | null;
  market: string;
  createdAt: Date;
  key?: { id: string; label: string; maskedKeyId: string; status: string; canWithdraw: boolean; canTransfer: boolean } | null;
}

export function toBotDTO(b: BotRow): BotDTO {
  const pnl = JSON.parse(b.pnl || "{}") as Omit<PnlSummary, "at">;
  const market = JSON.parse(b.market || "{}") as Partial<MarketRulesDTO>;
  return {
    id: b.id,
    name: b.name,
    key: b.key ? { id: b.key.id, label: b.key.label, maskedKeyId: b.key.maskedKeyId, status: b.key.status, withdraw: b.key.canWithdraw, transfer: b.key.canTransfer } : null,
    exchange: b.exchange,
    symbol: b.symbol,
    strategy: b.strategy,
    params: JSON.parse(b.params) as Record<string, unknown>,
    mode: b.mode,
    tickSeconds: b.tickSeconds,
    desiredState: b.desiredState,
    status: b.status,
    statusMessage: b.statusMessage,
    statusSince: b.statusSince.toISOString(),
    workerId: b.workerId,
    lastError: b.lastError,
    lastErrorAt: b.lastErrorAt?.toISOString() ?? null,
    maxOrderNotional: b.maxOrderNotional,
    maxDailyLoss: b.maxDailyLoss,
    maxOpenOrders: b.maxOpenOrders,
    maxPosition: b.maxPosition,
    paperStartQuote: b.paperStartQuote,
    pnl: b.pnlAt && pnl.position !== undefined ? pnlSummary(pnl, b.pnlAt) : null,
    market: "priceTick" in market ? { priceTick: market.priceTick ?? null, amountStep: market.amountStep ?? null } : null,
    createdAt: b.createdAt.toISOString(),
  };
}

function pnlSummary(p: Omit<PnlSummary, "at">, at: Date): PnlSummary {
  return { position: p.position, averageEntry: p.averageEntry, realizedPnl: p.realizedPnl, unrealizedPnl: p.unrealizedPnl, totalPnl: p.totalPnl, dailyPnl: p.dailyPnl, fees: p.fees, lastPrice: p.lastPrice, base: p.base, quote: p.quote, at: at.toISOString() };
}

export const botKeySelect = { select: { id: true, label: true, maskedKeyId: true, status: true, canWithdraw: true, canTransfer: true } } as const;

export interface OrderDTO {
  id: string;
  clientOrderId: string;
  exchangeOrderId: string | null;
  symbol: string;
  side: string;
  type: string;
  price: string | null;
  amount: string;
  filled: string;
  averagePrice: string | null;
  status: string;
  paper: boolean;
  reason: string | null;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export function toOrderDTO(o: { id: string; clientOrderId: string; exchangeOrderId: string | null; symbol: string; side: string; type: string; price: string | null; amount: string; filled: string; averagePrice: string | null; status: string; paper: boolean; reason: string | null; error: string | null; createdAt: Date; updatedAt: Date; closedAt: Date | null }): OrderDTO {
  // field by field: a row carries more (fencing token, key id, lookup state) than pages and the API show
  return {
    id: o.id, clientOrderId: o.clientOrderId, exchangeOrderId: o.exchangeOrderId, symbol: o.symbol, side: o.side, type: o.type, price: o.price, amount: o.amount, filled: o.filled, averagePrice: o.averagePrice,
    status: o.status, paper: o.paper, reason: o.reason, error: o.error, createdAt: o.createdAt.toISOString(), updatedAt: o.updatedAt.toISOString(), closedAt: o.closedAt?.toISOString() ?? null,
  };
}

export interface TradeDTO {
  id: string;
  exchangeTradeId: string;
  orderId: string | null;
  symbol: string;
  side: string;
  price: string;
  amount: string;
  fee: string;
  feeCurrency: string | null;
  /** the exchange's fill time */
  timestamp: string;
  recordedAt: string;
  paper: boolean;
}

export function toTradeDTO(t: { id: string; exchangeTradeId: string; orderId: string | null; symbol: string; side: string; price: string; amount: string; fee: string; feeCurrency: string | null; executedAt: Date; recordedAt: Date; paper: boolean }): TradeDTO {
  return { id: t.id, exchangeTradeId: t.exchangeTradeId, orderId: t.orderId, symbol: t.symbol, side: t.side, price: t.price, amount: t.amount, fee: t.fee, feeCurrency: t.feeCurrency, timestamp: t.executedAt.toISOString(), recordedAt: t.recordedAt.toISOString(), paper: t.paper };
}

/** Event types: the first part of an event's kind (see lib/bots/events.ts). */
export const eventTypes = ["order", "trade", "bot", "balance", "key", "risk", "lease"] as const;

export interface EventDTO {
  id: number;
  botId: string | null;
  keyId: string | null;
  level: string;
  /** the stream type: the kind's first part (order, trade, bot, balance, key, risk, lease) */
  type: string;
  kind: string;
  message: string;
  data: Record<string, unknown>;
  createdAt: string;
}

export function toEventDTO(e: { id: number; botId: string | null; keyId: string | null; level: string; kind: string; message: string; data: string; createdAt: Date }): EventDTO {
  return { id: e.id, botId: e.botId, keyId: e.keyId, level: e.level, type: e.kind.split(".")[0]!, kind: e.kind, message: e.message, data: JSON.parse(e.data) as Record<string, unknown>, createdAt: e.createdAt.toISOString() };
}

export const chartTimeframes = ["1m", "5m", "15m", "1h", "4h", "1d"] as const;
export type ChartTimeframe = (typeof chartTimeframes)[number];

/** A bot page's chart: the symbol's candles with the bot's open orders and fills in that window. */
export interface ChartDTO {
  symbol: string;
  timeframe: ChartTimeframe;
  /** times are ms since the epoch; prices decimal strings */
  candles: { time: number; open: string; high: string; low: string; close: string }[];
  openOrders: { id: string; side: string; price: string }[];
  fills: { time: number; side: "buy" | "sell"; price: string; amount: string }[];
  /** why there are no candles (the exchange could not be reached) */
  error: string | null;
}
