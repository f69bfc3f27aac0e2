/**
 * Position and PnL from a bot's fills, in decimal arithmetic (average-cost
 * method). Fees are part of the cost basis: a buy's fee taken in the base
 * currency reduces what was received, one taken in the quote currency adds to
 * what was paid; a sell's quote fee reduces the proceeds.
 *
 *   position     base held by the bot (net of base fees)
 *   cost         quote paid for that position (fees included)
 *   averageEntry cost / position
 *   realized     proceeds of sells − the average cost of what they sold
 *   unrealized   position × last price − cost
 *   fees         every fee, valued in the quote currency at its fill's price
 */
import { Money, str, zero } from "../money";

/**
 * Which of a bot's trades its position counts: those of orders placed since
 * its symbol or mode last changed (Bot.positionSince; all when it never did).
 * Another market's fills, or the paper account's in a live bot, are not its
 * position. A where clause for the bot's trades.
 */
export function positionTrades(botId: string, since: Date | null) {
  return { botId, ...(since ? { order: { createdAt: { gte: since } } } : {}) };
}

export interface Fill {
  side: string;
  price: string;
  amount: string;
  fee: string;
  feeCurrency: string | null;
  executedAt: Date;
}

export interface PositionSummary {
  position: string;
  cost: string;
  averageEntry: string | null;
  realizedPnl: string;
  unrealizedPnl: string | null;
  totalPnl: string | null;
  fees: string;
}

interface Book {
  position: Money;
  cost: Money;
  realized: Money;
  fees: Money;
}

function apply(book: Book, f: Fill, base: string, quote: string): Book {
  const price = new Money(f.price);
  const amount = new Money(f.amount);
  const fee = new Money(f.fee || 0);
  const feeBase = f.feeCurrency === base ? fee : zero;
  const feeQuote = f.feeCurrency === quote ? fee : zero;
  const fees = book.fees.add(feeQuote).add(feeBase.mul(price));
  if (f.side === "buy") {
    return { position: book.position.add(amount).sub(feeBase), cost: book.cost.add(amount.mul(price)).add(feeQuote), realized: book.realized, fees };
  }
  const delivered = amount.add(feeBase);
  const proceeds = amount.mul(price).sub(feeQuote);
  const held = Money.min(delivered, Money.max(book.position, zero));
  const avg = book.position.gt(0) ? book.cost.div(book.position) : zero;
  const basis = avg.mul(held).add(delivered.sub(held).mul(price)); // anything sold beyond the bot's own position: at the sale price
  const position = book.position.sub(delivered);
  return { position: position.gt(0) ? position : zero, cost: position.gt(0) ? book.cost.sub(avg.mul(held)) : zero, realized: book.realized.add(proceeds.sub(basis)), fees };
}

function chronological(fills: Fill[]): Fill[] {
  return [...fills].sort((a, b) => a.executedAt.getTime() - b.executedAt.getTime());
}

export function summarize(fills: Fill[], base: string, quote: string, lastPrice: string | null): PositionSummary {
  const book = new FillBook(base, quote);
  for (const f of chronological(fills)) book.add(f);
  return book.summary(lastPrice);
}

/**
 * Mark-to-market PnL since `dayStart` (00:00 UTC): what today's fills paid and
 * received, plus the position valued now, minus the position held at the start
 * of the day valued at the day's opening price. "Realized + unrealized since 00:00."
 */
export function pnlSince(fills: Fill[], dayStart: Date, dayOpenPrice: string, lastPrice: string, base: string, quote: string): Money {
  const book = new FillBook(base, quote);
  book.rollDay(dayStart.getTime());
  for (const f of chronological(fills)) book.add(f);
  return book.dailyPnl(dayOpenPrice, lastPrice);
}

/**
 * The same accounting, kept up to date fill by fill (a runner's view), with
 * the day's PnL: position at the start of the UTC day and today's cash flow.
 */
export class FillBook {
  private book: Book = { position: zero, cost: zero, realized: zero, fees: zero };
  private dayStart = 0;
  private startPosition = zero;
  private todayCash = zero;

  constructor(
    private readonly base: string,
    private readonly quote: string,
  ) {}

  /** Starts (or moves to) the UTC day that contains `now`. */
  rollDay(now: number): void {
    const day = Math.floor(now / 86_400_000) * 86_400_000;
    if (day === this.dayStart) return;
    this.dayStart = day;
    this.startPosition = this.book.position;
    this.todayCash = zero;
  }

  get currentDayStart(): number {
    return this.dayStart;
  }

  add(f: Fill): void {
    const at = f.executedAt.getTime();
    if (at >= this.dayStart) {
      const value = new Money(f.amount).mul(f.price);
      const feeQuote = f.feeCurrency === this.quote ? new Money(f.fee || 0) : zero;
      this.todayCash = f.side === "buy" ? this.todayCash.sub(value).sub(feeQuote) : this.todayCash.add(value).sub(feeQuote);
    } else {
      // a late fill from before today (found at reconciliation) moves the day's starting position
      const before = this.book.position;
      this.book = apply(this.book, f, this.base, this.quote);
      this.startPosition = this.startPosition.add(this.book.position.sub(before));
      return;
    }
    this.book = apply(this.book, f, this.base, this.quote);
  }

  get position(): Money {
    return this.book.position;
  }

  summary(lastPrice: string | null): PositionSummary {
    const b = this.book;
    const unrealized = lastPrice === null ? null : b.position.mul(lastPrice).sub(b.cost);
    return {
      position: str(b.position),
      cost: str(b.cost),
      averageEntry: b.position.gt(0) ? str(b.cost.div(b.position).toDecimalPlaces(8)) : null,
      realizedPnl: str(b.realized.toDecimalPlaces(8)),
      unrealizedPnl: unrealized === null ? null : str(unrealized.toDecimalPlaces(8)),
      totalPnl: unrealized === null ? null : str(b.realized.add(unrealized).toDecimalPlaces(8)),
      fees: str(b.fees.toDecimalPlaces(8)),
    };
  }

  /** Mark-to-market PnL since 00:00 UTC (see pnlSince). */
  dailyPnl(dayOpenPrice: string, lastPrice: string): Money {
    return this.todayCash.add(this.book.position.mul(lastPrice)).sub(this.startPosition.mul(dayOpenPrice));
  }
}
