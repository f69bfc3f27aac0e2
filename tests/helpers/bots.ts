/** Bots on a demo exchange for tests: a key added through the real add flow, a bot, and a check of Keyward against the exchange. */
import type { Exchange, Order, Trade } from "ccxt";
import { createBot } from "@/lib/bot-settings/save-bot";
import type { Db } from "@/lib/db/client";
import { addKey } from "@/lib/keys/add-key";
import { Money } from "@/lib/money";
import { botSchema } from "@/lib/validation/keys";
import type { RunningDemo } from "./demo-exchange";

const actor = { id: null, label: "test", ip: null };
let n = 0;

export interface TestBot {
  botId: string;
  keyId: string;
  apiKey: string;
  /** the demo account the key belongs to */
  accountId: number;
  /** the real ccxt binance class with the bot's key, on the demo exchange */
  client: Exchange;
}

export async function demoBot(db: Db, d: RunningDemo, opts: { strategy: string; params?: Record<string, unknown>; symbol?: string; mode?: "paper" | "live"; tickSeconds?: number; maxOrderNotional?: string; maxOpenOrders?: number; maxDailyLoss?: string; maxPosition?: string; balances?: Record<string, string>; accountId?: number }): Promise<TestBot> {
  const accountId = opts.accountId ?? (await d.account(opts.balances ?? { USDT: "10000", DEMO: "2000", BTC: "0.1" }));
  const minted = await d.key(accountId, { read: true, trade: true }, { ipRestrict: true, ips: ["127.0.0.1", "::1"] });
  const label = `bot-key-${++n}-${Math.random().toString(36).slice(2, 6)}`;
  const added = await addKey(db, { exchange: "demo", label, apiKey: minted.apiKey, secret: minted.secret, password: undefined, acceptWithdrawRisk: undefined }, actor, d.url);
  if (!added.ok) throw new Error("key refused");
  const input = botSchema.parse({ name: `bot ${label}`, keyId: added.key.id, symbol: opts.symbol ?? "DEMO/USDT", strategy: opts.strategy, params: opts.params ?? {}, mode: opts.mode ?? "live", tickSeconds: opts.tickSeconds ?? 1, maxOrderNotional: opts.maxOrderNotional ?? "100", maxOpenOrders: opts.maxOpenOrders ?? 4, maxDailyLoss: opts.maxDailyLoss ?? "500", maxPosition: opts.maxPosition });
  const bot = await createBot(db, input, input.params, actor, d.url);
  const client = d.client(minted);
  await client.loadMarkets();
  return { botId: bot.id, keyId: added.key.id, apiKey: minted.apiKey, accountId, client };
}

export async function setDesired(db: Db, botId: string, desiredState: "running" | "paused" | "stopped", stopCancelsOrders = true): Promise<void> {
  await db.bot.update({ where: { id: botId }, data: { desiredState, stopCancelsOrders } });
}

export interface Comparison {
  exchangeOrders: number;
  rows: number;
  /** at the exchange with no row */
  missing: string[];
  /** a row (not rejected) the exchange does not have */
  extra: string[];
  /** status or filled amount differ */
  mismatched: string[];
  tradesMissing: string[];
  tradesExtra: string[];
  pending: number;
  open: number;
}

const statusOf = (ccxtStatus: string | undefined) => (ccxtStatus === "closed" ? "closed" : ccxtStatus === "canceled" ? "canceled" : ccxtStatus === "expired" ? "expired" : "open");

/** Every order of the key on `symbol` at the exchange, paged by order id (Binance's allOrders). */
export async function allExchangeOrders(client: Exchange, symbol: string): Promise<Order[]> {
  const all: Order[] = [];
  for (let from = 0; ; ) {
    const page = await client.fetchOrders(symbol, undefined, 1000, { orderId: from });
    all.push(...page);
    if (page.length < 1000) return all;
    from = Number(page.at(-1)!.id) + 1;
  }
}

/** Every trade of the key on `symbol`, paged by trade id. */
export async function allExchangeTrades(client: Exchange, symbol: string): Promise<Trade[]> {
  const all: Trade[] = [];
  for (let from = 0; ; ) {
    const page = await client.fetchMyTrades(symbol, undefined, 1000, { fromId: from });
    all.push(...page);
    if (page.length < 1000) return all;
    from = Number(page.at(-1)!.id) + 1;
  }
}

/**
 * Every order and trade of the bot's exchange account (read with ccxt and its
 * key) against Keyward's rows: those of `botId`, or of every bot trading on
 * that account.
 */
export async function compareWithExchange(db: Db, botId: string | string[], client: Exchange, symbol: string): Promise<Comparison> {
  const orders = await allExchangeOrders(client, symbol);
  const trades = await allExchangeTrades(client, symbol);
  const rows = await db.order.findMany({ where: { botId: { in: [botId].flat() } } });
  const byCid = new Map(rows.map((r) => [r.clientOrderId, r]));
  const missing: string[] = [];
  const mismatched: string[] = [];
  for (const o of orders) {
    const row = byCid.get(o.clientOrderId!);
    if (!row) {
      missing.push(`${o.clientOrderId} (${o.status})`);
      continue;
    }
    const filledAgrees = new Money(row.filled).eq(new Money(String(o.filled ?? 0)));
    if (row.status !== statusOf(o.status) || !filledAgrees) mismatched.push(`${o.clientOrderId}: exchange ${o.status} ${o.filled}, keyward ${row.status} ${row.filled}`);
  }
  const atExchange = new Set(orders.map((o) => o.clientOrderId));
  const extra = rows.filter((r) => r.status !== "rejected" && !atExchange.has(r.clientOrderId)).map((r) => `${r.clientOrderId} (${r.status})`);
  const tradeRows = await db.trade.findMany({ where: { botId: { in: [botId].flat() } } });
  const recorded = new Set(tradeRows.map((t) => t.exchangeTradeId));
  const exchangeTrades = new Set(trades.map((t) => String(t.id)));
  const rowByTrade = new Map(tradeRows.map((t) => [t.exchangeTradeId, t]));
  for (const t of trades) {
    const row = rowByTrade.get(String(t.id));
    if (!row) continue;
    const same = row.side === t.side && new Money(row.price).eq(String(t.price)) && new Money(row.amount).eq(String(t.amount)) && new Money(row.fee).eq(String(t.fee?.cost ?? 0)) && row.feeCurrency === (t.fee?.currency ?? null);
    if (!same) mismatched.push(`trade ${t.id}: exchange ${t.side} ${t.amount}@${t.price} fee ${t.fee?.cost} ${t.fee?.currency}, keyward ${row.side} ${row.amount}@${row.price} fee ${row.fee} ${row.feeCurrency}`);
  }
  return {
    exchangeOrders: orders.length,
    rows: rows.length,
    missing,
    extra,
    mismatched,
    tradesMissing: [...exchangeTrades].filter((id) => !recorded.has(id)),
    tradesExtra: [...recorded].filter((id) => !exchangeTrades.has(id)),
    pending: rows.filter((r) => r.status === "pending").length,
    open: rows.filter((r) => r.status === "open").length,
  };
}

/** The bot's latest balance snapshot per currency against the exchange's balances. */
export async function balancesDisagree(db: Db, botId: string, client: Exchange): Promise<string[]> {
  const b = (await client.fetchBalance()) as unknown as { total: Record<string, number> };
  const snaps = await db.balanceSnapshot.findMany({ where: { botId }, orderBy: { takenAt: "desc" } });
  const latest = new Map<string, string>();
  for (const s of snaps) if (!latest.has(s.currency)) latest.set(s.currency, s.total);
  return [...latest].filter(([c, total]) => !new Money(total).eq(new Money(String(b.total[c] ?? 0)))).map(([c, total]) => `${c}: keyward ${total}, exchange ${b.total[c]}`);
}

export async function waitUntil<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
}
