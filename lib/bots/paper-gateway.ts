/**
 * Paper trading: the Gateway of a paper bot, simulated from public market
 * data only. It never sends a private request — it holds no credentials.
 *
 * Fill rules (also in the README):
 *  - a market order fills at once at the last price; a buy needs the quote, a sell the base
 *  - a limit order that is already through the market fills at once at the better of its price
 *    and the last price; otherwise it rests (its funds locked) and fills at its price when the
 *    market trades through it (a buy when the low since it was placed reaches it, a sell the high)
 *  - the fee (0.1 %) is taken from the asset received, as on the demo exchange and Binance
 * Balances start at the bot's paper quote balance and are kept in Bot.paperBalances.
 */
import ccxt from "ccxt";
import { Money, str, zero } from "../money";
import type { ExchangeOrder, ExchangeTrade } from "../exchange/exchange-values";
import type { Balances, Gateway, OrderRef, PlaceRequest } from "./gateway";

export const paperFeeRate = new Money("0.001");

interface PaperOrder extends ExchangeOrder {
  /** when it was placed; the range since then decides limit fills */
  placedAt: number;
}

export interface PaperMarket {
  symbol: string;
  base: string;
  quote: string;
}

export class PaperGateway implements Gateway {
  readonly paper = true;
  private readonly orders = new Map<string, PaperOrder>();
  private readonly fills: ExchangeTrade[] = [];
  private free: Record<string, Money>;
  private used: Record<string, Money> = {};
  private last: Money | null = null;
  private tradeSeq = 0;

  constructor(
    private readonly market: PaperMarket,
    balances: Record<string, string>,
    resting: { clientOrderId: string; side: string; price: string | null; amount: string; filled: string; createdAt: Date }[],
    private readonly clock: () => number = Date.now,
  ) {
    this.free = Object.fromEntries(Object.entries(balances).map(([c, v]) => [c, new Money(v)]));
    for (const r of resting) {
      if (r.price === null) continue;
      const o = this.newOrder({ symbol: market.symbol, side: r.side === "sell" ? "sell" : "buy", type: "limit", amount: r.amount, price: r.price, clientOrderId: r.clientOrderId }, r.createdAt.getTime());
      o.filled = r.filled;
      // funds of an order placed before a restart are still locked (they were never released)
      const locked = this.lockFor(o);
      this.move(locked.currency, locked.amount.neg(), locked.amount);
    }
  }

  /** The simulated balances, to persist. */
  balanceSnapshot(): Record<string, string> {
    const currencies = new Set([...Object.keys(this.free), ...Object.keys(this.used)]);
    return Object.fromEntries([...currencies].map((c) => [c, str((this.free[c] ?? zero).add(this.used[c] ?? zero))]));
  }

  /**
   * New market data: remembers the last price and fills resting limit orders
   * the market traded through (low/high: the range since the previous call,
   * when known). Returns the fills.
   */
  observe(last: string, low?: string, high?: string): ExchangeTrade[] {
    this.last = new Money(last);
    const lo = Money.min(this.last, low ?? last);
    const hi = Money.max(this.last, high ?? last);
    const fills: ExchangeTrade[] = [];
    for (const o of this.orders.values()) {
      if (o.status !== "open" || o.price === null) continue;
      const crossed = o.side === "buy" ? lo.lte(o.price) : hi.gte(o.price);
      if (crossed) fills.push(this.fill(o, new Money(o.price), true));
    }
    return fills;
  }

  private newOrder(r: PlaceRequest, at: number): PaperOrder {
    const o: PaperOrder = { id: `paper-${r.clientOrderId}`, clientOrderId: r.clientOrderId, symbol: r.symbol, status: "open", side: r.side, type: r.type, price: r.price, amount: r.amount, filled: "0", average: null, timestamp: at, trades: [], placedAt: at };
    this.orders.set(r.clientOrderId, o);
    return o;
  }

  private lockFor(o: ExchangeOrder): { currency: string; amount: Money } {
    const remaining = new Money(o.amount).sub(o.filled);
    return o.side === "buy" ? { currency: this.market.quote, amount: remaining.mul(o.price!) } : { currency: this.market.base, amount: remaining };
  }

  private move(currency: string, freeDelta: Money, usedDelta: Money = zero): void {
    this.free[currency] = (this.free[currency] ?? zero).add(freeDelta);
    this.used[currency] = (this.used[currency] ?? zero).add(usedDelta);
  }

  /** Fills what is left of `o` at `price`; `resting`: its funds were locked. */
  private fill(o: PaperOrder, price: Money, resting: boolean): ExchangeTrade {
    const amount = new Money(o.amount).sub(o.filled);
    const { base, quote } = this.market;
    let fee: Money;
    let feeCurrency: string;
    if (o.side === "buy") {
      if (resting) this.move(quote, new Money(o.price!).sub(price).mul(amount), amount.mul(o.price!).neg()); // release the lock, refund a better price
      else this.move(quote, amount.mul(price).neg());
      fee = amount.mul(paperFeeRate);
      feeCurrency = base;
      this.move(base, amount.sub(fee));
    } else {
      if (resting) this.move(base, zero, amount.neg());
      else this.move(base, amount.neg());
      fee = amount.mul(price).mul(paperFeeRate);
      feeCurrency = quote;
      this.move(quote, amount.mul(price).sub(fee));
    }
    o.filled = o.amount;
    o.status = "closed";
    o.average = str(price);
    const t: ExchangeTrade = { id: `${o.id}-${++this.tradeSeq}`, orderId: o.id, side: o.side, price: str(price), amount: str(amount), fee: str(fee.toDecimalPlaces(12)), feeCurrency, timestamp: this.clock() };
    o.trades = [...o.trades, t];
    this.fills.push(t);
    return t;
  }

  async place(r: PlaceRequest): Promise<ExchangeOrder> {
    if (this.last === null) throw new ccxt.ExchangeNotAvailable("paper: no market price yet");
    const amount = new Money(r.amount);
    const limit = r.price === null ? null : new Money(r.price);
    const marketable = limit === null || (r.side === "buy" ? limit.gte(this.last) : limit.lte(this.last));
    const price = limit === null ? this.last : r.side === "buy" ? Money.min(limit, this.last) : Money.max(limit, this.last);
    const need = r.side === "buy" ? { currency: this.market.quote, amount: amount.mul(marketable ? price : limit!) } : { currency: this.market.base, amount };
    if ((this.free[need.currency] ?? zero).lt(need.amount)) throw new ccxt.InsufficientFunds(`paper: not enough ${need.currency} (${str(this.free[need.currency] ?? zero)} free, ${str(need.amount)} needed)`);
    if (this.orders.has(r.clientOrderId)) throw new ccxt.InvalidOrder("paper: duplicate client order id");
    const o = this.newOrder(r, this.clock());
    if (marketable) this.fill(o, price, false);
    else this.move(need.currency, need.amount.neg(), need.amount);
    return { ...o };
  }

  async cancel(ref: OrderRef): Promise<ExchangeOrder | "not-open"> {
    const o = this.orders.get(ref.clientOrderId);
    if (!o || o.status !== "open") return "not-open";
    const locked = this.lockFor(o);
    this.move(locked.currency, locked.amount, locked.amount.neg());
    o.status = "canceled";
    return { ...o };
  }

  async lookup(ref: OrderRef): Promise<ExchangeOrder | null> {
    const o = this.orders.get(ref.clientOrderId);
    return o ? { ...o } : null;
  }

  async openOrders(): Promise<ExchangeOrder[]> {
    return [...this.orders.values()].filter((o) => o.status === "open").map((o) => ({ ...o }));
  }

  async tradesSince(_symbol: string, since: number): Promise<ExchangeTrade[]> {
    return this.fills.filter((t) => t.timestamp >= since);
  }

  async balances(): Promise<Balances> {
    const currencies = new Set([...Object.keys(this.free), ...Object.keys(this.used)]);
    return Object.fromEntries([...currencies].map((c) => {
      const free = this.free[c] ?? zero;
      const used = this.used[c] ?? zero;
      return [c, { free: str(free), used: str(used), total: str(free.add(used)) }];
    }));
  }
}
