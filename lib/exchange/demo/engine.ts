/**
 * Order placement, matching and balances for the demo exchange.
 *
 * Incoming orders take liquidity from a synthetic book around the seeded price
 * (several levels → several fills, i.e. partial fills at different prices).
 * Resting limit orders fill as the price path crosses them, at most one
 * level's quantity per elapsed minute, so large orders fill in parts.
 * Fee: 0.1 %, charged in the asset received. All arithmetic is Decimal.
 */
import { EventEmitter } from "node:events";
import { Decimal } from "decimal.js";
import { errors } from "./errors";
import type { SymbolSpec } from "./markets";
import { book, priceAt, rangeAt } from "./price-path";
import type { DemoStore, OrderRow } from "./store";

export const feeRate = new Decimal("0.001");
const decimalParam = /^\d{1,20}(\.\d{1,20})?$/;

export interface PlaceParams {
  symbol?: string;
  side?: string;
  type?: string;
  quantity?: string;
  price?: string;
  timeInForce?: string;
  newClientOrderId?: string;
}

export interface Fill {
  price: Decimal;
  qty: Decimal;
  commission: Decimal;
  commissionAsset: string;
  tradeId: number;
  isMaker?: boolean;
}

/**
 * One change of one order, as Binance's user-data stream reports it: the
 * order as it stood right after the change, the execution type, and the fill.
 */
export interface OrderChange {
  order: OrderRow;
  execution: "NEW" | "TRADE" | "CANCELED" | "EXPIRED";
  fill?: Fill;
  at: number;
}

export class DemoEngine {
  /** emits "change" (OrderChange) after each change is committed */
  readonly changes = new EventEmitter();

  constructor(
    private readonly store: DemoStore,
    private readonly seed: string,
    private readonly bySymbolId: ReadonlyMap<string, SymbolSpec>,
  ) {}

  spec(symbol: string | undefined): SymbolSpec {
    if (!symbol) throw errors.mandatory("symbol");
    const spec = this.bySymbolId.get(symbol);
    if (!spec) throw errors.badSymbol();
    return spec;
  }

  price(spec: SymbolSpec, now: number): Decimal {
    return priceAt(spec, this.seed, now);
  }

  place(accountId: number, p: PlaceParams, now: number): { order: OrderRow; fills: Fill[] } {
    const spec = this.spec(p.symbol);
    const side = p.side === "BUY" || p.side === "SELL" ? p.side : undefined;
    if (!side) throw p.side ? errors.badEnum("side") : errors.mandatory("side");
    const type = p.type === "LIMIT" || p.type === "MARKET" ? p.type : undefined;
    if (!type) throw p.type ? errors.badEnum("type") : errors.mandatory("type");
    if (!p.quantity) throw errors.mandatory("quantity");
    if (!decimalParam.test(p.quantity)) throw errors.illegal("quantity");
    const qty = new Decimal(p.quantity);
    let limit: Decimal | undefined;
    if (type === "LIMIT") {
      if (!p.price) throw errors.mandatory("price");
      if (!decimalParam.test(p.price)) throw errors.illegal("price");
      if (!p.timeInForce) throw errors.mandatory("timeInForce");
      if (p.timeInForce !== "GTC") throw errors.badEnum("timeInForce");
      limit = new Decimal(p.price);
      if (limit.lt(spec.tickSize) || !limit.mod(spec.tickSize).isZero()) throw errors.filter("PRICE_FILTER");
    }
    if (qty.lt(spec.minQty) || qty.gt(spec.maxQty) || !qty.mod(spec.stepSize).isZero()) throw errors.filter("LOT_SIZE");
    const reference = limit ?? this.price(spec, now);
    if (reference.mul(qty).lt(spec.minNotional)) throw errors.filter("NOTIONAL");
    const clientOrderId = p.newClientOrderId ?? `demo-${now}-${Math.random().toString(36).slice(2, 10)}`;
    if (!/^[.A-Za-z0-9:/_-]{1,36}$/.test(clientOrderId)) throw errors.illegal("newClientOrderId");

    const placed = this.store.tx(() => {
      // Unique per account: a duplicate is refused and never placed twice.
      if (this.store.clientOrderIdTaken(accountId, clientOrderId)) throw errors.duplicate();
      const levels = this.takeable(spec, side, now, limit);
      if (type === "MARKET") this.assertCanPayMarket(accountId, spec, side, qty, levels);
      else this.lock(accountId, spec, side, qty, limit!);
      const orderId = this.store.insertOrder({
        accountId, symbol: spec.id, clientOrderId, side, type, timeInForce: "GTC",
        price: (limit ?? new Decimal(0)).toFixed(8), origQty: qty.toFixed(8), executedQty: "0", cummulativeQuoteQty: "0",
        status: "NEW", time: now, updateTime: now, lastMatchedAt: now,
      });
      const order = this.store.order(accountId, spec.id, { orderId })!;
      const fills: Fill[] = [];
      let remaining = qty;
      for (const [levelPrice, levelQty] of levels) {
        if (remaining.isZero()) break;
        const q = Decimal.min(remaining, levelQty);
        fills.push(this.fill(order, spec, levelPrice, q, false, now));
        remaining = remaining.sub(q);
      }
      // A market order the book cannot fill completely expires with what it got (as on Binance).
      if (type === "MARKET" && !remaining.isZero()) order.status = "EXPIRED";
      this.store.updateOrder(order);
      return { order, fills };
    });
    this.reportPlacement(placed.order, placed.fills, now);
    return placed;
  }

  /** NEW, then one TRADE per fill (each with the order as it stood after it), then EXPIRED if the book ran out. */
  private reportPlacement(order: OrderRow, fills: Fill[], at: number): void {
    let executed = new Decimal(0);
    let quote = new Decimal(0);
    const snapshot = (status: OrderRow["status"]): OrderRow => ({ ...order, status, executedQty: executed.toFixed(8), cummulativeQuoteQty: quote.toFixed(8) });
    this.changes.emit("change", { order: snapshot("NEW"), execution: "NEW", at } satisfies OrderChange);
    for (const f of fills) {
      executed = executed.add(f.qty);
      quote = quote.add(f.qty.mul(f.price));
      this.changes.emit("change", { order: snapshot(executed.eq(order.origQty) ? "FILLED" : "PARTIALLY_FILLED"), execution: "TRADE", fill: f, at } satisfies OrderChange);
    }
    if (order.status === "EXPIRED") this.changes.emit("change", { order: { ...order }, execution: "EXPIRED", at } satisfies OrderChange);
  }

  /** Book levels an incoming order can take (all of them for market orders). */
  private takeable(spec: SymbolSpec, side: "BUY" | "SELL", now: number, limit?: Decimal): [Decimal, Decimal][] {
    const b = book(spec, this.seed, now);
    const levels = side === "BUY" ? b.asks : b.bids;
    return limit ? levels.filter(([price]) => (side === "BUY" ? price.lte(limit) : price.gte(limit))) : levels;
  }

  private assertCanPayMarket(accountId: number, spec: SymbolSpec, side: "BUY" | "SELL", qty: Decimal, levels: [Decimal, Decimal][]): void {
    if (side === "SELL") {
      if (new Decimal(this.store.balance(accountId, spec.base).free).lt(qty)) throw errors.insufficient();
      return;
    }
    let remaining = qty;
    let cost = new Decimal(0);
    for (const [price, levelQty] of levels) {
      const q = Decimal.min(remaining, levelQty);
      cost = cost.add(price.mul(q));
      remaining = remaining.sub(q);
      if (remaining.isZero()) break;
    }
    if (new Decimal(this.store.balance(accountId, spec.quote).free).lt(cost)) throw errors.insufficient();
  }

  /** Moves funds from free to locked for a limit order. */
  private lock(accountId: number, spec: SymbolSpec, side: "BUY" | "SELL", qty: Decimal, limit: Decimal): void {
    const asset = side === "BUY" ? spec.quote : spec.base;
    const amount = side === "BUY" ? qty.mul(limit) : qty;
    const bal = this.store.balance(accountId, asset);
    if (new Decimal(bal.free).lt(amount)) throw errors.insufficient();
    this.store.setBalance(accountId, asset, new Decimal(bal.free).sub(amount).toFixed(), new Decimal(bal.locked).add(amount).toFixed());
  }

  private adjust(accountId: number, asset: string, freeDelta: Decimal, lockedDelta: Decimal = new Decimal(0)): void {
    const bal = this.store.balance(accountId, asset);
    this.store.setBalance(accountId, asset, new Decimal(bal.free).add(freeDelta).toFixed(), new Decimal(bal.locked).add(lockedDelta).toFixed());
  }

  /** Executes `qty` of `order` at `price`, moving balances and recording a trade. Mutates `order`. */
  private fill(order: OrderRow, spec: SymbolSpec, price: Decimal, qty: Decimal, isMaker: boolean, now: number): Fill {
    const quote = price.mul(qty);
    const limited = order.type === "LIMIT";
    let commission: Decimal;
    let commissionAsset: string;
    if (order.side === "BUY") {
      // pay quote (from the lock for limit orders, refunding any price improvement), receive base minus fee
      if (limited) this.adjust(order.accountId, spec.quote, new Decimal(order.price).sub(price).mul(qty), new Decimal(order.price).mul(qty).neg());
      else this.adjust(order.accountId, spec.quote, quote.neg());
      commission = qty.mul(feeRate);
      commissionAsset = spec.base;
      this.adjust(order.accountId, spec.base, qty.sub(commission));
    } else {
      if (limited) this.adjust(order.accountId, spec.base, new Decimal(0), qty.neg());
      else this.adjust(order.accountId, spec.base, qty.neg());
      commission = quote.mul(feeRate);
      commissionAsset = spec.quote;
      this.adjust(order.accountId, spec.quote, quote.sub(commission));
    }
    const executed = new Decimal(order.executedQty).add(qty);
    order.executedQty = executed.toFixed(8);
    order.cummulativeQuoteQty = new Decimal(order.cummulativeQuoteQty).add(quote).toFixed(8);
    order.status = executed.eq(order.origQty) ? "FILLED" : "PARTIALLY_FILLED";
    order.updateTime = now;
    const tradeId = this.store.insertTrade({
      accountId: order.accountId, orderId: order.orderId, symbol: order.symbol, price: price.toFixed(8), qty: qty.toFixed(8), quoteQty: quote.toFixed(8),
      commission: commission.toFixed(8), commissionAsset, time: now, isBuyer: order.side === "BUY" ? 1 : 0, isMaker: isMaker ? 1 : 0,
    });
    return { price, qty, commission, commissionAsset, tradeId };
  }

  /** Fills resting limit orders the price path has crossed since they were last looked at. */
  matchResting(now: number, accountId?: number): void {
    const reports: OrderChange[] = [];
    this.store.tx(() => {
      for (const order of this.store.openOrders(accountId)) {
        if (order.type !== "LIMIT" || now <= order.lastMatchedAt) continue;
        const spec = this.bySymbolId.get(order.symbol)!;
        const { low, high } = rangeAt(spec, this.seed, order.lastMatchedAt, now);
        const limit = new Decimal(order.price);
        const crossed = order.side === "BUY" ? low.lte(limit) : high.gte(limit);
        if (crossed) {
          const minutes = Math.max(1, Math.floor((now - order.lastMatchedAt) / 60_000));
          const qty = Decimal.min(new Decimal(order.origQty).sub(order.executedQty), new Decimal(spec.levelQty).mul(minutes));
          const fill = this.fill(order, spec, limit, qty, true, now);
          reports.push({ order: { ...order }, execution: "TRADE", fill: { ...fill, isMaker: true }, at: now });
        }
        order.lastMatchedAt = now;
        this.store.updateOrder(order);
      }
    });
    for (const r of reports) this.changes.emit("change", r);
  }

  cancel(accountId: number, symbol: string | undefined, by: { orderId?: number; clientOrderId?: string }, now: number): OrderRow {
    const spec = this.spec(symbol);
    if (by.orderId === undefined && !by.clientOrderId) throw errors.mandatory("orderId");
    const canceled = this.store.tx(() => {
      const order = this.store.order(accountId, spec.id, by);
      if (!order || (order.status !== "NEW" && order.status !== "PARTIALLY_FILLED")) throw errors.unknownOrder();
      const remaining = new Decimal(order.origQty).sub(order.executedQty);
      if (order.side === "BUY") this.adjust(accountId, spec.quote, remaining.mul(order.price), remaining.mul(order.price).neg());
      else this.adjust(accountId, spec.base, remaining, remaining.neg());
      order.status = "CANCELED";
      order.updateTime = now;
      this.store.updateOrder(order);
      return order;
    });
    this.changes.emit("change", { order: { ...canceled }, execution: "CANCELED", at: now } satisfies OrderChange);
    return canceled;
  }

  cancelAll(accountId: number, symbol: string | undefined, now: number): OrderRow[] {
    const spec = this.spec(symbol);
    return this.store.openOrders(accountId, spec.id).map((o) => this.cancel(accountId, spec.id, { orderId: o.orderId }, now));
  }
}
