/**
 * The shapes /api/v1 answers with, as zod schemas: the OpenAPI document is
 * generated from them (lib/api/openapi.ts) and the contract test checks real
 * answers against them.
 */
import { z } from "zod";
import { eventTypes } from "../bot-settings/dto";
import { orderStatuses } from "../bots/order-status";
import { maxPageSize } from "../validation/common";

const iso = z.string().describe("ISO 8601 time");
const decimal = z.string().describe("decimal string");

export const errorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

export const pnlOut = z.object({
  position: decimal, averageEntry: decimal.nullable(), realizedPnl: decimal, unrealizedPnl: decimal.nullable(), totalPnl: decimal.nullable(), dailyPnl: decimal, fees: decimal, lastPrice: decimal, base: z.string(), quote: z.string(), at: iso,
});

export const botOut = z.object({
  id: z.string(), name: z.string(), key: z.object({ id: z.string(), label: z.string(), maskedKeyId: z.string(), status: z.string(), withdraw: z.boolean(), transfer: z.boolean() }).nullable(),
  exchange: z.string(), symbol: z.string(), strategy: z.string(), params: z.record(z.string(), z.unknown()), mode: z.enum(["paper", "live"]), tickSeconds: z.number().int(),
  desiredState: z.enum(["running", "paused", "stopped"]), status: z.enum(["stopped", "starting", "running", "pausing", "paused", "stopping", "error"]), statusMessage: z.string().nullable(), statusSince: iso,
  workerId: z.string().nullable().describe("the worker running the bot"), lastError: z.string().nullable().describe("the error the bot is in, stopped with, or retrying; a retried one is cleared once a tick goes through (its events keep it)"), lastErrorAt: iso.nullable(),
  maxOrderNotional: decimal, maxDailyLoss: decimal, maxOpenOrders: z.number().int(), maxPosition: decimal.nullable(), paperStartQuote: decimal,
  pnl: pnlOut.nullable().describe("position and PnL as the runner last computed them"),
  market: z.object({ priceTick: decimal.nullable(), amountStep: decimal.nullable() }).nullable().describe("the market's price tick and amount step, as the runner last loaded them"), createdAt: iso,
});

export const orderOut = z.object({
  id: z.string(), clientOrderId: z.string(), exchangeOrderId: z.string().nullable(), symbol: z.string(), side: z.enum(["buy", "sell"]), type: z.enum(["market", "limit"]),
  price: decimal.nullable(), amount: decimal, filled: decimal, averagePrice: decimal.nullable(), status: z.enum(orderStatuses), paper: z.boolean(), reason: z.string().nullable(), error: z.string().nullable(),
  createdAt: iso, updatedAt: iso, closedAt: iso.nullable(),
});

export const tradeOut = z.object({
  id: z.string(), exchangeTradeId: z.string(), orderId: z.string().nullable(), symbol: z.string(), side: z.enum(["buy", "sell"]), price: decimal, amount: decimal, fee: decimal, feeCurrency: z.string().nullable(),
  timestamp: iso.describe("the exchange's fill time"), recordedAt: iso, paper: z.boolean(),
});

export const eventOut = z.object({
  id: z.number().int(), botId: z.string().nullable(), keyId: z.string().nullable(), level: z.enum(["info", "warn", "error"]), type: z.string(), kind: z.string(), message: z.string(), data: z.record(z.string(), z.unknown()), createdAt: iso,
});

export const pageQuery = z.object({
  limit: z.string().regex(/^\d{1,3}$/, `a whole number from 1 to ${maxPageSize}`).transform(Number).optional(),
  cursor: z.string().max(200).optional(),
});

export const ordersQuery = pageQuery.extend({
  status: z
    .string()
    .max(100)
    .refine((v) => v.split(",").every((s) => !s || (orderStatuses as readonly string[]).includes(s)), `a comma-separated list of ${orderStatuses.join(", ")}`)
    .optional()
    .describe(`comma-separated: ${orderStatuses.join(", ")}`),
});

export const strategyOut = z.object({ id: z.string(), version: z.number().int(), name: z.string(), description: z.string(), params: z.record(z.string(), z.unknown()).describe("JSON Schema of the parameters") });

export const keyOut = z.object({
  id: z.string(), label: z.string(), exchange: z.string(), maskedKeyId: z.string().describe("the exchange's key id masked to its first and last 4 characters, e.g. vmPU…7tQx"),
  read: z.boolean(), trade: z.boolean(), withdraw: z.boolean(), transfer: z.boolean().describe("may move funds between wallets or sub-accounts"), withdrawRiskAccepted: z.boolean().describe("the owner typed the label to accept withdraw or transfer"), ipRestricted: z.boolean(), ipList: z.array(z.string()), expiresAt: iso.nullable(),
  scopeSource: z.string().describe("exchange (read from its permission endpoint), probed (trade probed, the rest declared) or declared (said by the user)"), verifiedAt: iso.nullable(), status: z.enum(["active", "rejected", "revoked"]), statusMessage: z.string().nullable(),
  bot: z.object({ id: z.string(), name: z.string() }).nullable(), createdAt: iso, revokedAt: iso.nullable(),
});

export const addKeyOut = z.object({ key: keyOut, warnings: z.array(z.string()) });
export const withdrawRefusedBody = z.object({ error: z.object({ code: z.enum(["withdraw_refused", "transfer_refused"]), message: z.string() }), scopes: z.record(z.string(), z.unknown()) });
export const revokeOut = z.object({ revoked: z.literal(true), label: z.string(), botStopped: z.string().nullable(), cancelReport: z.string().nullable(), steps: z.array(z.string()).describe("what to do on the exchange") });
export const meOut = z.object({ user: z.object({ id: z.string(), email: z.string(), role: z.enum(["viewer", "operator", "owner"]) }), scopes: z.array(z.enum(["read", "operate", "admin"])) });
export const messageOut = z.object({ message: z.string() });

export const balanceOut = z.object({ currency: z.string(), free: decimal, used: decimal, total: decimal });
export const accountBalancesOut = z.object({
  botId: z.string(), keyId: z.string().nullable(), keyLabel: z.string().nullable(), exchange: z.string(),
  exchangeAccount: z.string().nullable().describe("the exchange's id of the account the key belongs to, where the exchange names it (null elsewhere, and for paper): bots whose keys share an account show the same balances"),
  paper: z.boolean().describe("the bot's simulated account (else its key's at the exchange)"), takenAt: iso, balances: z.array(balanceOut),
});

export const eventsQuery = pageQuery.extend({
  types: z
    .string()
    .max(100)
    .refine((v) => v.split(",").every((t) => (eventTypes as readonly string[]).includes(t)), `a comma-separated list of ${eventTypes.join(", ")}`)
    .optional()
    .describe(`comma-separated event types: ${eventTypes.join(", ")}`),
  bot: z.string().max(64).optional().describe("only this bot's events"),
});
export const balancesQuery = z.object({ paper: z.enum(["true", "false"]).optional().describe("paper bots' simulated accounts instead of live bots' keys (default false)") });

export const channelOut = z.object({
  id: z.string(), name: z.string(), type: z.enum(["webhook", "telegram", "email"]), events: z.array(z.string()),
  target: z.string().describe("where it sends, without secrets: a webhook by its origin only"), hasSecret: z.boolean(), createdAt: z.string(),
  lastDelivery: z.object({ status: z.string(), at: z.string(), lastError: z.string().nullable() }).nullable(),
});
export const deliveryOut = z.object({
  id: z.string(), event: z.string(), status: z.enum(["pending", "sending", "sent", "failed", "canceled"]), attempts: z.number().int(), digest: z.boolean(),
  subject: z.string(), message: z.string(), lastError: z.string().nullable().describe("why the last attempt failed; never a secret"), createdAt: z.string(), sentAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable().describe("when a pending alert is tried (again)"),
});
export const deliveriesQuery = z.object({ limit: pageQuery.shape.limit.refine((n) => n === undefined || (n >= 1 && n <= maxPageSize), `a whole number from 1 to ${maxPageSize}`), before: z.iso.datetime().optional().describe("only deliveries raised before this time (ISO 8601)") }).strict();

const replayFill = z.object({ time: z.number().int(), side: z.string(), price: z.string(), amount: z.string() });
const liveFill = replayFill.extend({ feeQuote: z.string() });
export const replayOut = z.object({
  bot: z.object({ id: z.string(), name: z.string(), strategy: z.string(), params: z.record(z.string(), z.unknown()), symbol: z.string(), mode: z.string() }),
  period: z.object({ from: z.number().int(), to: z.number().int().describe("end of the last closed candle replayed (exclusive)"), comparedUntil: z.number().int().describe("live fills after this time (the last candle's open) are compared only when a later candle has closed"), timeframe: z.string(), candles: z.number().int() }),
  live: z.object({ fills: z.number().int(), fees: z.string() }).describe("the live fills compared (not the later ones)"),
  simulated: z.object({ fills: z.number().int(), fees: z.string(), finalEquity: z.string(), returnPct: z.number() }),
  matched: z.array(z.object({ live: liveFill, simulated: replayFill, priceDifference: z.string().describe("live − simulated price"), slippageQuote: z.string().describe("the difference's cost in the quote currency (positive: live was worse)") })),
  onlyLive: z.array(liveFill).describe("fills the backtest did not make"),
  onlySimulated: z.array(replayFill.extend({ reason: z.string(), botWas: z.enum(["stopped", "paused", "error", "unattended"]).nullable().describe("the bot's status at the signal when it was not running; unattended: running, but no worker ran it (null: running or not known)") })).describe("signals the bot did not act on live"),
  later: z.array(liveFill).describe("live fills after comparedUntil: not compared yet (replay again once their candles have closed)"),
  totals: z.object({ slippageQuote: z.string(), feeDifferenceQuote: z.string().describe("live fees − simulated fees, of the fills compared"), matched: z.number().int(), onlyLive: z.number().int(), onlySimulated: z.number().int(), later: z.number().int() }),
  notes: z.array(z.string()),
});

const summaryOut = z.object({
  startEquity: z.string(), finalEquity: z.string(), returnPct: z.number(), buyAndHoldReturnPct: z.number(), maxDrawdownPct: z.number(), sharpe: z.number().nullable(), sortino: z.number().nullable(),
  winRate: z.number().nullable(), profitFactor: z.number().nullable(), exposurePct: z.number(), fees: z.string(), fills: z.number().int(), roundTrips: z.number().int(),
});
export const backtestOut = z.object({
  id: z.string(), name: z.string(), status: z.enum(["queued", "running", "done", "failed", "cancelled", "interrupted"]), progress: z.number().int().describe("0–100"), message: z.string().nullable().describe("what it is doing, or why it failed"),
  config: z.object({ strategy: z.string(), params: z.record(z.string(), z.unknown()), symbol: z.string(), timeframe: z.string(), source: z.enum(["exchange", "csv"]), exchange: z.string(), since: z.number().int(), until: z.number().int(), fee: z.string(), slippageBps: z.number().int(), balance: z.string(),
    limits: z.object({ maxOrderNotional: decimal.optional(), maxDailyLoss: decimal.optional(), maxOpenOrders: z.number().int().optional(), maxPosition: decimal.optional() }).optional().describe("the risk limits given (as a bot's); those not given do not bind"),
    sweep: z.record(z.string(), z.array(z.string())).optional() }),
  summary: summaryOut.nullable().describe("a sweep: its best run's"), createdAt: z.string(), finishedAt: z.string().nullable(),
});
export const backtestReportOut = backtestOut.extend({ report: z.record(z.string(), z.unknown()).nullable().describe("once done: the whole report as the command line prints it (a sweep: kind \"sweep\", the grid and every run's statistics)") });
