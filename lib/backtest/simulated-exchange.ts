/**
 * The backtester's exchange: one account (quote and base, free and locked),
 * resting orders, and the fill rules (README "Backtesting"):
 *  - a market order placed at the close of candle i fills at the open of
 *    candle i+1, moved against the trader by the slippage (buy higher, sell lower);
 *  - a limit order fills when a later candle's range reaches its price, at its price;
 *  - the fee is taken from the asset received: a buy spending quote q at price p
 *    yields q·(1−fee)/p base; a sell of base a yields a·p·(1−fee) quote.
 * An order the account cannot pay for when it fills is rejected, not filled.
 * Decimal throughout.
 */
import { Money, zero } from "../money";

export interface SimOrder {
  id: string;
  side: "buy" | "sell";
  type: "market" | "limit";
  /** base amount (null: a market buy for `quote`) */
  amount: Money | null;
  /** quote to spend (market buys given in quote) */
  quote: Money | null;
  price: Money | null;
  /** what is locked for it: quote for buys, base for sells */
  locked: Money;
  placedAt: number;
  reason: string;
}

export interface SimFill {
  orderId: string;
  time: number;
  side: "buy" | "sell";
  type: "market" | "limit";
  price: string;
  amount: string;
  /** quote spent (buy) or received (sell), fee excluded on the received side */
  quote: string;
  fee: string;
  feeCurrency: string;
  /** the fee valued in the quote currency at the fill price */
  feeQuote: string;
  reason: string;
}

/** A fill with its decimals, so the statistics need not parse the report's strings again. */
export interface Filled {
  fill: SimFill;
  amount: Money;
  quote: Money;
  fee: Money;
  feeQuote: Money;
}

export interface CandleM {
  time: number;
  open: Money;
  high: Money;
  low: Money;
  close: Money;
}

export class SimulatedExchange {
  /** the account (every method that changes it ends with `changed()`) */
  private qFree: Money;
  private qLocked = zero;
  private bFree: Money;
  private bLocked = zero;
  readonly orders: SimOrder[] = [];
  private seq = 0;

  constructor(
    start: { quote: Money; base: Money },
    private readonly fee: Money,
    private readonly slippage: Money,
    readonly base: string,
    readonly quote: string,
  ) {
    this.qFree = start.quote;
    this.bFree = start.base;
    this.up = new Money(1).add(slippage);
    this.down = new Money(1).sub(slippage);
  }

  private readonly up: Money;
  private readonly down: Money;

  get quoteFree(): Money {
    return this.qFree;
  }

  get baseFree(): Money {
    return this.bFree;
  }

  /** free + locked, summed once per change of the account (the engine asks at every step; the same value object until the next change) */
  private totals: { quote: Money; base: Money } | null = null;

  get quoteTotal(): Money {
    return (this.totals ??= this.sum()).quote;
  }

  get baseTotal(): Money {
    return (this.totals ??= this.sum()).base;
  }

  private sum() {
    return { quote: this.qFree.add(this.qLocked), base: this.bFree.add(this.bLocked) };
  }

  /** the account as a strategy reads it (decimal strings), written once per change */
  private written: { position: string; quoteFree: string; baseFree: string } | null = null;

  get asWritten(): { position: string; quoteFree: string; baseFree: string } {
    return (this.written ??= { position: this.baseTotal.toFixed(), quoteFree: this.qFree.toFixed(), baseFree: this.bFree.toFixed() });
  }

  private changed(): void {
    this.totals = null;
    this.written = null;
  }

  /** Places an order, locking what it may spend. Null when the account cannot cover it. */
  place(o: Omit<SimOrder, "id" | "locked">, lastPrice: Money, allowance: Money): SimOrder | null {
    let locked: Money;
    if (o.side === "buy") {
      locked = o.quote ?? o.amount!.mul(o.type === "limit" ? o.price! : lastPrice.mul(allowance));
      if (locked.gt(this.qFree)) {
        if (o.type === "market" && o.amount && o.amount.mul(lastPrice).lte(this.qFree)) locked = this.qFree; // the allowance only: lock what there is
        else return null;
      }
      this.qFree = this.qFree.sub(locked);
      this.qLocked = this.qLocked.add(locked);
    } else {
      locked = o.amount!;
      if (locked.gt(this.bFree)) return null;
      this.bFree = this.bFree.sub(locked);
      this.bLocked = this.bLocked.add(locked);
    }
    this.changed();
    const order = { ...o, id: `bt-${++this.seq}`, locked };
    this.orders.push(order);
    return order;
  }

  cancel(id: string): boolean {
    const i = this.orders.findIndex((o) => o.id === id);
    if (i < 0) return false;
    this.release(this.orders[i]!);
    this.orders.splice(i, 1);
    return true;
  }

  private release(o: SimOrder): void {
    if (o.side === "buy") {
      this.qLocked = this.qLocked.sub(o.locked);
      this.qFree = this.qFree.add(o.locked);
    } else {
      this.bLocked = this.bLocked.sub(o.locked);
      this.bFree = this.bFree.add(o.locked);
    }
    this.changed();
  }

  /** Fills what candle `c` fills (orders placed before it), market orders first. Returns fills and rejections. */
  match(c: CandleM): { fills: Filled[]; rejected: { order: SimOrder; why: string }[] } {
    const fills: Filled[] = [];
    const rejected: { order: SimOrder; why: string }[] = [];
    if (this.orders.length === 0) return { fills, rejected };
    const due = this.orders.filter((o) => o.placedAt < c.time && (o.type === "market" || (o.side === "buy" ? c.low.lte(o.price!) : c.high.gte(o.price!))));
    due.sort((a, b) => (a.type === b.type ? 0 : a.type === "market" ? -1 : 1));
    for (const o of due) {
      this.orders.splice(this.orders.indexOf(o), 1);
      this.release(o);
      const price = o.type === "limit" ? o.price! : c.open.mul(o.side === "buy" ? this.up : this.down);
      const fill = o.side === "buy" ? this.buy(o, price, c.time) : this.sell(o, price, c.time);
      if (typeof fill === "string") rejected.push({ order: o, why: fill });
      else fills.push(fill);
    }
    return { fills, rejected };
  }

  private buy(o: SimOrder, price: Money, time: number): Filled | string {
    const spend = o.quote ?? o.amount!.mul(price);
    if (spend.gt(this.qFree)) return `not enough ${this.quote} when it filled: it needed ${spend.toFixed()}, the account had ${this.qFree.toFixed()}`;
    const gross = spend.div(price);
    const fee = gross.mul(this.fee);
    this.qFree = this.qFree.sub(spend);
    this.bFree = this.bFree.add(gross.sub(fee));
    this.changed();
    const feeQuote = fee.mul(price);
    const fill: SimFill = { orderId: o.id, time, side: "buy", type: o.type, price: price.toFixed(), amount: gross.toFixed(), quote: spend.toFixed(), fee: fee.toFixed(), feeCurrency: this.base, feeQuote: feeQuote.toFixed(), reason: o.reason };
    return { fill, amount: gross, quote: spend, fee, feeQuote };
  }

  private sell(o: SimOrder, price: Money, time: number): Filled | string {
    const amount = o.amount!;
    if (amount.gt(this.bFree)) return `not enough ${this.base} when it filled`;
    const gross = amount.mul(price);
    const fee = gross.mul(this.fee);
    this.bFree = this.bFree.sub(amount);
    this.qFree = this.qFree.add(gross.sub(fee));
    this.changed();
    const fill: SimFill = { orderId: o.id, time, side: "sell", type: o.type, price: price.toFixed(), amount: amount.toFixed(), quote: gross.toFixed(), fee: fee.toFixed(), feeCurrency: this.quote, feeQuote: fee.toFixed(), reason: o.reason };
    return { fill, amount, quote: gross, fee, feeQuote: fee };
  }
}
