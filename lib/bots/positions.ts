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

export function summarize(fills: Fill[], base: string, quote: string, lastPrice: string | null): PositionSummary {
  let book: Book = { position: zero, cost: zero, realized: zero, fees: zero };
  for (const f of [...fills].sort((a, b) => a.executedAt.getTime() - b.executedAt.getTime())) book = apply(book, f, base, quote);
  const unrealized = lastPrice === null ? null : book.position.mul(lastPrice).sub(book.cost);
  return {
    position: str(book.position),
    cost: str(book.cost),
    averageEntry: book.position.gt(0) ? str(book.cost.div(book.position).toDecimalPlaces(8)) : null,
    realizedPnl: str(book.realized.toDecimalPlaces(8)),
    unrealizedPnl: unrealized === null ? null : str(unrealized.toDecimalPlaces(8)),
    totalPnl: unrealized === null ? null : str(book.realized.add(unrealized).toDecimalPlaces(8)),
    fees: str(book.fees.toDecimalPlaces(8)),
  };
}

/** The base position implied by fills (what `summarize` reports as position), as a Money. */
export function positionOf(fills: Fill[], base: string, quote: string): Money {
  return new Money(summarize(fills, base, quote, null).position);
}

/**
 * Mark-to-market PnL since `dayStart` (00:00 UTC): what today's fills paid and
 * received, plus the position valued now, minus the position held at the start
 * of the day valued at the day's opening price. "Realized + unrealized since 00:00."
 */
export function pnlSince(fills: Fill[], dayStart: Date, dayOpenPrice: string, lastPrice: string, base: string, quote: string): Money {
  const before = fills.filter((f) => f.executedAt < dayStart);
  const today = fills.filter((f) => f.executedAt >= dayStart);
  const startPosition = positionOf(before, base, quote);
  let cash = zero;
  for (const f of today) {
    const value = new Money(f.amount).mul(f.price);
    const feeQuote = f.feeCurrency === quote ? new Money(f.fee || 0) : zero;
    cash = f.side === "buy" ? cash.sub(value).sub(feeQuote) : cash.add(value).sub(feeQuote);
  }
  const nowPosition = positionOf(fills, base, quote);
  return cash.add(nowPosition.mul(lastPrice)).sub(startPosition.mul(dayOpenPrice));
}
