/**
 * A backtest's statistics. Money stays decimal (strings); ratios are numbers
 * rounded to 6 places (statistics, not money), so reports are byte-identical.
 *  - return = final ÷ start − 1; buy-and-hold = last close ÷ first close − 1
 *  - max drawdown: the largest fall from a running peak of the equity at candle closes
 *  - Sharpe and Sortino from daily returns (equity at each UTC day's last close against
 *    the day before; the first day against the start), × √365; Sortino's
 *    denominator is the root mean square of the negative returns (0 counted for the others)
 *  - a round trip runs from flat to flat: it ends at a sell that leaves nothing the market would
 *    let a sell take (dust under its amount step or minimum notional stays in the position); win rate = winners ÷ round trips;
 *    profit factor = gross profit ÷ gross loss (null without a loss)
 *  - exposure = candles closed holding at least one amount step ÷ candles
 */
import { type Money, zero } from "../money";
import { sellableAmount } from "../strategies/market";
import type { MarketView } from "../strategies/types";
import type { RoundTrip } from "./engine";
import type { EquitySeries } from "./equity";
import type { Filled } from "./simulated-exchange";

export interface Summary {
  startEquity: string;
  finalEquity: string;
  returnPct: number;
  buyAndHoldReturnPct: number;
  maxDrawdownPct: number;
  sharpe: number | null;
  sortino: number | null;
  winRate: number | null;
  profitFactor: number | null;
  exposurePct: number;
  fees: string;
  fills: number;
  roundTrips: number;
}

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;
const pct = (m: Money) => r6(m.mul(100).toNumber());

/** `sampled`: the candle indexes (ascending) whose drawdown the report shows. */
export function summarize(a: { fills: Filled[]; equity: EquitySeries; sampled: number[]; closeTime: (i: number) => number; balance: Money; firstClose: Money; lastClose: Money; exposed: number; market: MarketView }) {
  const n = a.equity.n;
  const final = n ? a.equity.exact(n - 1) : a.balance;
  const dd = a.equity.drawdowns(a.balance, a.sampled);
  const maxDd = dd.max;
  const drawdowns = dd.at.map(pct);
  // daily returns
  const dayEnds: Money[] = [];
  const dayOf = (i: number) => Math.floor((a.closeTime(i) - 1) / 86_400_000);
  // the last close of each day: closes are in time order, so it is found by bisection, not by visiting every close
  for (let i = 0; i < n; ) {
    const day = dayOf(i);
    let last = i;
    for (let hi = n - 1; last < hi; ) {
      const mid = (last + hi + 1) >> 1;
      if (dayOf(mid) === day) last = mid;
      else hi = mid - 1;
    }
    dayEnds.push(a.equity.exact(last));
    i = last + 1;
  }
  const returns: number[] = [];
  let prev = a.balance;
  for (const e of dayEnds) {
    returns.push(prev.gt(0) ? e.div(prev).sub(1).toNumber() : 0);
    prev = e;
  }
  const mean = returns.reduce((s, r) => s + r, 0) / (returns.length || 1);
  const sd = returns.length > 1 ? Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / (returns.length - 1)) : 0;
  const down = Math.sqrt(returns.reduce((s, r) => s + Math.min(r, 0) ** 2, 0) / (returns.length || 1));
  // round trips and fees
  const trips: RoundTrip[] = [];
  let position = zero;
  let open: { at: number; spent: Money; received: Money; fees: Money } | null = null;
  let fees = zero;
  const pnls: Money[] = [];
  // the fee is in the asset received (base for a buy, quote for a sell); feeQuote values it in quote
  for (const { fill: f, amount, quote, fee, feeQuote } of a.fills) {
    fees = fees.add(feeQuote);
    open ??= { at: f.time, spent: zero, received: zero, fees: zero };
    open.fees = open.fees.add(feeQuote);
    if (f.side === "buy") {
      open.spent = open.spent.add(quote);
      position = position.add(amount.sub(fee));
    } else {
      open.received = open.received.add(quote.sub(fee));
      position = position.sub(amount);
    }
    // a sell that leaves nothing sellable closes the trip; the dust stays in the position
    if (f.side === "sell" && sellableAmount(position, f.price, a.market).isZero()) {
      const pnl = open.received.sub(open.spent);
      pnls.push(pnl);
      trips.push({ openedAt: open.at, closedAt: f.time, spent: open.spent.toFixed(), received: open.received.toFixed(), fees: open.fees.toFixed(), pnl: pnl.toFixed() });
      open = null;
    }
  }
  const wins = pnls.filter((p) => p.gt(0));
  const gain = wins.reduce((s, p) => s.add(p), zero);
  const loss = pnls.filter((p) => p.lt(0)).reduce((s, p) => s.sub(p), zero);
  const summary: Summary = {
    startEquity: a.balance.toFixed(),
    finalEquity: final.toFixed(8),
    returnPct: pct(final.div(a.balance).sub(1)),
    buyAndHoldReturnPct: a.firstClose.gt(0) ? pct(a.lastClose.div(a.firstClose).sub(1)) : 0,
    maxDrawdownPct: pct(maxDd),
    sharpe: sd > 0 ? r6((mean / sd) * Math.sqrt(365)) : null,
    sortino: down > 0 ? r6((mean / down) * Math.sqrt(365)) : null,
    winRate: trips.length ? r6(wins.length / trips.length) : null,
    profitFactor: loss.gt(0) ? r6(gain.div(loss).toNumber()) : null,
    exposurePct: n ? r6((a.exposed / n) * 100) : 0,
    fees: fees.toFixed(8),
    fills: a.fills.length,
    roundTrips: trips.length,
  };
  return { summary, roundTrips: trips, drawdowns };
}
