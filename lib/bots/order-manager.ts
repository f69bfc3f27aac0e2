/**
 * The order manager: the only code that places, cancels and follows a bot's
 * orders. Its rules are the trading rules of this project:
 *
 *  - An order's row, with its client order id, is written before the request
 *    is sent (status `pending`).
 *  - Before every request, and again inside ccxt's transport as it leaves: the
 *    lease hold (lease-hold.ts). The hold is the lease row as last renewed,
 *    judged by this process's monotonic clock with a safety margin, so the
 *    check costs no database round trip before a request; the row itself is
 *    verified at every renewal, several times per TTL, and by every write:
 *    updates carry it in their WHERE, new rows (the pending row, fills) are
 *    inserted in LeaseHold.fenced's transaction. After a takeover nothing is
 *    written, so nothing is sent.
 *  - A request has three outcomes: accepted; rejected by the exchange (final,
 *    recorded, never retried); unknown (timeout, dropped connection, 5xx). An
 *    unknown outcome is resolved by looking the order up by its client order
 *    id, never by sending it again. Only after the exchange has answered "no
 *    such order" three times, at least 2 s apart and after the request's
 *    recvWindow has passed (the exchange refuses it after that), is the row
 *    marked `rejected` as never placed. Network errors are not answers.
 *  - Statuses change only through order-status.ts; an illegal pair is logged
 *    as an event and kept, not applied.
 *  - Fills become Trade rows, one per exchange trade id per bot.
 */
import type { Db } from "../db/client";
import { classifyError, refusedForFunds, safeErrorMessage } from "../exchange/errors";
import type { Logger } from "../log";
import { Money } from "../money";
import { clientOrderId, placedByBot } from "./client-order-id";
import type { EventBuffer } from "./events";
import { fillsTotal, ordersTotal } from "../metrics/registry";
import type { ExchangeOrder, ExchangeTrade } from "../exchange/exchange-values";
import type { Gateway, OrderRef, PlaceRequest } from "./gateway";
import { FencingError, type LeaseHold } from "./lease-hold";
import { eventForExchangeStatus, InvalidTransitionError, isFinal, transition, type OrderEvent } from "./order-status";
import type { Fill } from "./positions";

export interface OrderRow {
  id: string;
  clientOrderId: string;
  exchangeOrderId: string | null;
  symbol: string;
  side: string;
  type: string;
  price: string | null;
  amount: string;
  filled: string;
  status: string;
  error: string | null;
  sentAt: Date | null;
  lookupMisses: number;
  lastLookupAt: Date | null;
  createdAt: Date;
}

export type PlaceOutcome = { outcome: "accepted"; row: OrderRow } | { outcome: "rejected"; row: OrderRow; error: unknown } | { outcome: "unknown"; row: OrderRow; error: unknown };

export interface OrderManagerOptions {
  db: Db;
  log: Logger;
  bot: { id: string; exchange: string; symbol: string; keyId: string | null };
  gateway: Gateway;
  hold: LeaseHold;
  /** where order and fill events go (the runner writes them at the end of its tick) */
  events: EventBuffer;
  /** called with every newly recorded fill */
  onFill: (fill: Fill & { orderId: string }) => void;
  /** how long after sending an order the exchange may still accept it (Binance: recvWindow, 10 s in ccxt) */
  acceptWindowMs?: number;
  clock?: () => number;
}

const lookupSpacingMs = 2000;
/** client order id sequence numbers reserved per database write */
const seqBlock = 100;
const missesBeforeNeverPlaced = 3;
const recentTradeIds = 2000;

export class OrderManager {
  /** pending and open orders, by client order id */
  readonly working = new Map<string, OrderRow>();
  private readonly seenTrades = new Set<string>();
  /** exchange ids of orders that are not this bot's, already looked at (reported, or found to be another bot's) */
  private readonly notOurs = new Set<string>();
  private readonly reportedTransitions = new Set<string>();
  lastTradeAt = 0;
  /** the exchange rejected an order (not for want of funds) and has accepted none since: the first rejection's event is the bot.rejected alert (the runner keeps it across restarts) */
  rejecting = false;
  private seqNext = 0;
  private seqEnd = 0;

  constructor(private readonly o: OrderManagerOptions) {}

  /** The next client order id sequence number, reserved from the bot row a block at a time. */
  private async nextSeq(): Promise<number> {
    if (this.seqNext >= this.seqEnd) {
      const { db, bot, hold } = this.o;
      hold.assertHeld();
      hold.assertWritten((await db.bot.updateMany({ where: { id: bot.id, lease: hold.leaseRow }, data: { orderSeq: { increment: seqBlock } } })).count);
      const { orderSeq } = await db.bot.findUniqueOrThrow({ where: { id: bot.id }, select: { orderSeq: true } }); // only the lease's holder moves it
      this.seqEnd = orderSeq;
      this.seqNext = orderSeq - seqBlock;
    }
    return ++this.seqNext;
  }

  private get now(): number {
    return (this.o.clock ?? Date.now)();
  }

  private ref(row: OrderRow): OrderRef {
    return { clientOrderId: row.clientOrderId, exchangeOrderId: row.exchangeOrderId, symbol: row.symbol };
  }

  /** Updates one of the bot's order rows, only while the lease row is still this runner's (else FencingError). */
  private async writeRow(id: string, data: Record<string, unknown>): Promise<void> {
    const { db, hold } = this.o;
    hold.assertHeld();
    hold.assertWritten((await db.order.updateMany({ where: { id, bot: { lease: hold.leaseRow } }, data })).count);
  }

  /** Loads the bot's pending and open orders, and when its last fill was. */
  async load(): Promise<void> {
    const rows = await this.o.db.order.findMany({ where: { botId: this.o.bot.id, status: { in: ["pending", "open"] } }, orderBy: { createdAt: "asc" } });
    for (const r of rows) this.working.set(r.clientOrderId, r);
    const last = await this.o.db.trade.findFirst({ where: { botId: this.o.bot.id }, orderBy: { executedAt: "desc" }, select: { executedAt: true } });
    this.lastTradeAt = last?.executedAt.getTime() ?? 0;
  }

  async place(req: Omit<PlaceRequest, "clientOrderId" | "symbol"> & { reason: string }): Promise<PlaceOutcome> {
    const { db, bot, hold } = this.o;
    const paper = this.o.gateway.paper;
    const cid = clientOrderId(bot.exchange, bot.id, await this.nextSeq());
    // the row first, then the request
    const [row] = await hold.fenced(db, [
      db.order.create({
        data: { botId: bot.id, keyId: bot.keyId, clientOrderId: cid, symbol: bot.symbol, side: req.side, type: req.type, price: req.price, amount: req.amount, status: "pending", fencingToken: hold.fencingToken, paper, reason: req.reason.slice(0, 200), sentAt: new Date(this.now) },
      }),
    ]);
    this.working.set(cid, row);
    this.o.events.push({ botId: bot.id, kind: "order.new", message: `${req.side} ${req.amount} ${bot.symbol} ${req.type}${req.price ? ` at ${req.price}` : ""}: ${req.reason}`, data: { clientOrderId: cid, side: req.side, type: req.type, amount: req.amount, price: req.price, paper } });
    try {
      hold.assertHeld(); // and again in the transport, as the request leaves
      const answer = await this.o.gateway.place({ ...req, symbol: bot.symbol, clientOrderId: cid });
      ordersTotal.inc({ outcome: "placed", mode: paper ? "paper" : "live" });
      this.rejecting = false;
      return { outcome: "accepted", row: await this.applyExchangeOrder(row, answer) };
    } catch (err) {
      if (err instanceof FencingError) throw err; // not sent, and nothing more may be written
      const cls = classifyError(err, { placingOrder: true });
      const message = safeErrorMessage(err);
      if (cls === "orderRejected" || cls === "authRejected" || cls === "retryable") {
        // refused before it could execute (invalid, no funds, no permission, rate limit, clock): final
        ordersTotal.inc({ outcome: "rejected", mode: paper ? "paper" : "live" });
        // for want of funds it is the runner's bot.unfunded alert; a rate limit or the clock passes
        const first = cls === "orderRejected" && !refusedForFunds(err) && !this.rejecting;
        if (first) this.rejecting = true;
        return { outcome: "rejected", row: await this.apply(row, "rejected", { error: message }, first ? { firstRejection: true } : {}), error: err };
      }
      // timeout, dropped connection, 5xx, anything unexpected: it may exist; find out by looking it up
      ordersTotal.inc({ outcome: "unknown", mode: paper ? "paper" : "live" });
      await this.writeRow(row.id, { error: `outcome unknown (${message}); looking it up` });
      this.o.events.push({ botId: bot.id, level: "warn", kind: "order.update", message: `Order ${cid}: the exchange did not answer (${message}). Looking it up by its client order id before anything is sent again.`, data: { clientOrderId: cid, status: "pending" } });
      return { outcome: "unknown", row, error: err };
    }
  }

  /** Cancels one order; returns its row as the exchange's answer left it (null when it was no longer open there). */
  async cancel(row: OrderRow, reason: string): Promise<OrderRow | null> {
    const { bot, hold } = this.o;
    const requestedAt = new Date(this.now);
    hold.assertHeld();
    let answer: ExchangeOrder | "not-open";
    try {
      answer = await this.o.gateway.cancel(this.ref(row));
    } catch (err) {
      if (err instanceof FencingError || classifyError(err) !== "orderRejected") throw err; // network: the next sync tells what happened
      answer = "not-open";
    }
    if (answer === "not-open") {
      // already filled, canceled, or (pending) never placed: the lookup says which
      hold.assertHeld();
      const after = await this.apply(row, "cancel-failed", { cancelRequestedAt: requestedAt });
      if (row.status === "pending") {
        await this.resolvePending(after);
        return null;
      }
      const looked = await this.o.gateway.lookup(this.ref(after));
      if (looked) await this.applyExchangeOrder(after, looked);
      return null;
    }
    const canceled = await this.applyExchangeOrder(row, { ...answer, status: answer.status === "open" ? "canceled" : answer.status }, { cancelRequestedAt: requestedAt });
    if (answer.filled !== row.filled) await this.fetchTrades(); // it filled in part before the cancel
    this.o.events.push({ botId: bot.id, kind: "order.cancel", message: `Canceled ${row.clientOrderId}: ${reason}`, data: { clientOrderId: row.clientOrderId } });
    return canceled;
  }

  /**
   * Brings the working orders up to date with the exchange: one open-orders
   * request, a lookup for each order that left the open list, the pending ones
   * resolved, new fills fetched. Warns once per order about orders on the key
   * that the bot did not place.
   */
  async sync(opts: { allSymbols?: boolean } = {}): Promise<void> {
    const { bot } = this.o;
    if (this.working.size === 0 && !opts.allSymbols) return;
    const open = await this.o.gateway.openOrders(opts.allSymbols ? (undefined as unknown as string) : bot.symbol);
    let filled = false;
    const byCid = new Map(open.filter((o) => o.clientOrderId).map((o) => [o.clientOrderId!, o]));
    for (const row of [...this.working.values()]) {
      const seen = byCid.get(row.clientOrderId);
      if (seen) {
        if (seen.filled !== row.filled || row.status !== "open" || !row.exchangeOrderId) {
          filled ||= seen.filled !== row.filled;
          await this.applyExchangeOrder(row, seen);
        }
      } else if (row.status === "open") {
        // gone from the open list: filled, canceled or expired at the exchange, as the lookup says; one it says is
        // still open stays open (an order on a symbol the bot no longer trades is not in its list, yet rests there)
        const looked = await this.o.gateway.lookup(this.ref(row));
        if (looked) {
          filled ||= looked.filled !== row.filled;
          await this.applyExchangeOrder(row, looked);
        }
      } else {
        filled = (await this.resolvePending(row)) || filled;
      }
    }
    for (const o of open) await this.noticeExchangeOrder(o);
    if (filled) await this.fetchTrades();
  }

  /** Order changes pushed by the exchange's stream: applied like a lookup's answer (their trades come through recordTrades). */
  async onStreamOrders(orders: ExchangeOrder[]): Promise<void> {
    for (const o of orders) {
      const row = (o.clientOrderId ? this.working.get(o.clientOrderId) : undefined) ?? [...this.working.values()].find((r) => r.exchangeOrderId === o.id);
      if (!row) {
        await this.noticeExchangeOrder(o);
        continue;
      }
      await this.applyExchangeOrder(row, o);
    }
  }

  /** An order at the exchange that is not one of our working rows: someone else's, or ours without a row. */
  private async noticeExchangeOrder(o: ExchangeOrder): Promise<void> {
    const { db, bot } = this.o;
    if (o.clientOrderId && this.working.has(o.clientOrderId)) return;
    if (o.symbol && o.symbol !== bot.symbol && placedByBot(o.clientOrderId ?? undefined, bot.id)) return; // not possible for this bot
    if (!placedByBot(o.clientOrderId ?? undefined, bot.id)) {
      if (this.notOurs.has(o.id)) return;
      bounded(this.notOurs, o.id, 500);
      // another Keyward bot on the same exchange account (with its own key) sees the account's orders too: not foreign
      if (o.clientOrderId && (await db.order.findUnique({ where: { clientOrderId: o.clientOrderId }, select: { id: true } }))) return;
      // reported once per bot, not again at each restart or takeover while it rests there
      if (await db.botEvent.findFirst({ where: { botId: bot.id, kind: "key.foreign-orders", data: { contains: JSON.stringify({ exchangeOrderId: o.id }).slice(1, -1) } }, select: { id: true } })) return;
      this.o.events.push({ botId: bot.id, keyId: bot.keyId, level: "warn", kind: "key.foreign-orders", message: `Another program is trading on this bot's exchange account: order ${o.id} (${o.side} ${o.amount} ${o.symbol}) was not placed by Keyward, with this key or another key of the account. Keyward leaves it alone; if it is not yours, delete this key on the exchange.`, data: { exchangeOrderId: o.id, symbol: o.symbol, side: o.side } });
      return;
    }
    const row = await db.order.findUnique({ where: { clientOrderId: o.clientOrderId! } });
    if (row) {
      // ours, already final here (e.g. declared never placed) but open at the exchange after all
      await this.applyExchangeOrder(row, o);
      return;
    }
    // ours with no row at all (the row was lost): it enters straight into its exchange state
    const [created] = await this.o.hold.fenced(db, [
      db.order.create({
        data: { botId: bot.id, keyId: bot.keyId, clientOrderId: o.clientOrderId!, exchangeOrderId: o.id, symbol: o.symbol, side: o.side, type: o.type === "market" ? "market" : "limit", price: o.price, amount: o.amount, status: "pending", fencingToken: this.o.hold.fencingToken, paper: this.o.gateway.paper, reason: "found at the exchange", sentAt: new Date(o.timestamp) },
      }),
    ]);
    this.o.events.push({ botId: bot.id, level: "warn", kind: "order.update", message: `Order ${o.clientOrderId} was found at the exchange with no record in Keyward; it is tracked from now on.`, data: { clientOrderId: o.clientOrderId } });
    this.working.set(created.clientOrderId, created);
    await this.applyExchangeOrder(created, o);
  }

  /** One lookup of a pending order (spaced 2 s apart). Returns whether it had fills. */
  async resolvePending(row: OrderRow): Promise<boolean> {
    const now = this.now;
    if (row.lastLookupAt && now - row.lastLookupAt.getTime() < lookupSpacingMs) return false;
    if (row.sentAt && now - row.sentAt.getTime() < 500) return false; // give a just-sent order a moment
    const found = await this.o.gateway.lookup(this.ref(row)); // a network error propagates: it is not an answer
    if (found) {
      const after = await this.applyExchangeOrder(row, found, { lookupMisses: 0, lastLookupAt: new Date(now) });
      return after.filled !== "0";
    }
    const misses = row.lookupMisses + 1;
    const windowPassed = !row.sentAt || now > row.sentAt.getTime() + (this.o.acceptWindowMs ?? 10_000) + lookupSpacingMs;
    if (misses >= missesBeforeNeverPlaced && windowPassed) {
      await this.apply(row, "not-found", { lookupMisses: misses, lastLookupAt: new Date(now), error: `never placed: the exchange had no such order at ${misses} lookups` });
      return false;
    }
    await this.writeRow(row.id, { lookupMisses: misses, lastLookupAt: new Date(now) });
    this.working.set(row.clientOrderId, { ...row, lookupMisses: misses, lastLookupAt: new Date(now) });
    return false;
  }

  /**
   * Applies the exchange's view of an order: status (through the table),
   * fills, its trades. A view older than what is known — less filled, or
   * still open for an order known to be finished — is stale (a stream message
   * that arrived after the REST answer, say) and changes nothing.
   */
  private async applyExchangeOrder(row: OrderRow, o: ExchangeOrder, extra: Record<string, unknown> = {}): Promise<OrderRow> {
    const event = eventForExchangeStatus(o.status, o.filled, o.amount || row.amount);
    const known = new Money(row.filled);
    const seen = new Money(o.filled || "0");
    const stale = seen.lt(known) || (isFinal(row.status) && row.status !== "rejected" && (event === "accepted" || event === "partially-filled") && seen.lte(known));
    if (stale) {
      if (o.trades.length) await this.recordTrades(o.trades);
      return row;
    }
    const after = await this.apply(row, event, { exchangeOrderId: o.id, filled: o.filled, averagePrice: o.average, ...extra });
    if (o.trades.length) await this.recordTrades(o.trades);
    return after;
  }

  /** A transition through the table, persisted with `patch`; an illegal pair is reported once and not applied. */
  private async apply(row: OrderRow, event: OrderEvent, patch: Record<string, unknown>, eventData: Record<string, unknown> = {}): Promise<OrderRow> {
    const { bot } = this.o;
    let to: string;
    try {
      to = transition(row.status, event);
    } catch (err) {
      if (!(err instanceof InvalidTransitionError)) throw err;
      const key = `${row.id}:${row.status}:${event}`;
      if (!this.reportedTransitions.has(key)) {
        bounded(this.reportedTransitions, key, 500);
        this.o.log.error({ botId: bot.id, clientOrderId: row.clientOrderId, from: row.status, event }, "order status transition not in the table; not applied");
        this.o.events.push({ botId: bot.id, level: "error", kind: "order.transition-error", message: `Order ${row.clientOrderId}: ${err.message}; kept as ${row.status}.`, data: { clientOrderId: row.clientOrderId, from: row.status, event } });
      }
      return row;
    }
    const changes = Object.entries(patch).filter(([k, v]) => v !== undefined && (row as unknown as Record<string, unknown>)[k] !== v);
    if (to === row.status && changes.length === 0) return row;
    const data = { ...Object.fromEntries(changes), status: to, updatedAt: new Date(this.now), ...(isFinal(to) && !isFinal(row.status) ? { closedAt: new Date(this.now) } : {}) };
    await this.writeRow(row.id, data); // no read-back: the row is known
    const updated = { ...row, ...data } as OrderRow;
    if (isFinal(to)) this.working.delete(row.clientOrderId);
    else this.working.set(row.clientOrderId, updated);
    if (to !== row.status) {
      const level = to === "rejected" ? "warn" : "info";
      this.o.events.push({ botId: bot.id, level, kind: to === "rejected" ? "order.rejected" : "order.update", message: `Order ${row.clientOrderId} ${row.status} → ${to}${updated.error && to === "rejected" ? `: ${updated.error}` : ""}`, data: { clientOrderId: row.clientOrderId, status: to, filled: updated.filled, exchangeOrderId: updated.exchangeOrderId, ...eventData } });
    }
    return updated;
  }

  /** The bot's fills since the last one known (a minute of overlap; duplicates are skipped). */
  async fetchTrades(sinceFloor = 0): Promise<number> {
    const since = Math.max(sinceFloor, this.lastTradeAt ? this.lastTradeAt - 60_000 : sinceFloor);
    return this.recordTrades(await this.o.gateway.tradesSince(this.o.bot.symbol, since));
  }

  /** Records fills of the bot's orders (others' are ignored), once per trade id: the new ones in one fenced write. */
  async recordTrades(trades: ExchangeTrade[]): Promise<number> {
    const { db, bot, hold } = this.o;
    const fresh = new Map<string, { t: ExchangeTrade; order: OrderRow }>();
    for (const t of trades) {
      if (this.seenTrades.has(t.id) || fresh.has(t.id)) continue;
      const order = t.orderId ? ([...this.working.values()].find((r) => r.exchangeOrderId === t.orderId) ?? (await db.order.findFirst({ where: { botId: bot.id, exchangeOrderId: t.orderId } }))) : null;
      if (order) fresh.set(t.id, { t, order }); // else not one of this bot's orders
    }
    if (!fresh.size) return 0;
    for (const k of await db.trade.findMany({ where: { botId: bot.id, exchangeTradeId: { in: [...fresh.keys()] } }, select: { exchangeTradeId: true } })) {
      fresh.delete(k.exchangeTradeId);
      this.remember(k.exchangeTradeId); // recorded before
    }
    const recorded = [...fresh.values()];
    if (!recorded.length) return 0;
    // only this runner records this bot's fills, under its lease: the unique (bot, trade id) stays the backstop
    await hold.fenced(db, [db.trade.createMany({ data: recorded.map(({ t, order }) => ({ botId: bot.id, orderId: order.id, exchangeTradeId: t.id, symbol: bot.symbol, side: t.side, price: t.price, amount: t.amount, fee: t.fee, feeCurrency: t.feeCurrency, executedAt: new Date(t.timestamp), paper: this.o.gateway.paper })) })]);
    for (const { t, order } of recorded) {
      this.remember(t.id);
      fillsTotal.inc({ mode: this.o.gateway.paper ? "paper" : "live" });
      this.lastTradeAt = Math.max(this.lastTradeAt, t.timestamp);
      this.o.onFill({ side: t.side, price: t.price, amount: t.amount, fee: t.fee, feeCurrency: t.feeCurrency, executedAt: new Date(t.timestamp), orderId: order.id });
      this.o.events.push({ botId: bot.id, kind: "trade", message: `Filled ${t.side} ${t.amount} ${bot.symbol} at ${t.price} (fee ${t.fee} ${t.feeCurrency ?? ""})`, data: { clientOrderId: order.clientOrderId, exchangeTradeId: t.id, side: t.side, price: t.price, amount: t.amount, fee: t.fee, feeCurrency: t.feeCurrency, timestamp: t.timestamp } });
    }
    return recorded.length;
  }

  private remember(id: string): void {
    bounded(this.seenTrades, id, recentTradeIds);
  }
}

/** Adds to a set that forgets its oldest entries past `max` (a runner's memory stays bounded). */
function bounded(set: Set<string>, value: string, max: number): void {
  set.add(value);
  if (set.size > max) set.delete(set.values().next().value!);
}
