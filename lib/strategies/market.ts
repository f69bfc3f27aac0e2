/**
 * What of a position the market would let a bot sell. A buy's fee is taken in
 * the base asset, so after a sell rounded down to the amount step a remainder
 * (dust) stays behind that no order can sell: a strategy that counted it as a
 * position would wait forever to sell it. Pure and decimal, for strategies,
 * the backtester's statistics and its exposure.
 */
import { Money, zero } from "../money";
import type { MarketView } from "./types";

export const noMarketRules: MarketView = { amountStep: null, priceTick: null, minAmount: null, minNotional: null };

/** The risk limits value a market order at the last price plus this allowance for the spread and slippage (lib/bots/risk.ts). */
export const marketPriceAllowance = new Money("1.01");

/**
 * The most quote a market buy may name and still pass the per-order limit: the order path converts
 * the quote at the ask, and the limit values the amount at the last price plus the allowance.
 */
export function marketBuyQuoteWithin(maxOrderNotional: string, lastPrice: string, ask: string | null): Money {
  const ratio = ask ? Money.min(1, new Money(ask).div(lastPrice)) : new Money(1);
  return new Money(maxOrderNotional).mul(ratio).div(marketPriceAllowance).toDecimalPlaces(8, Money.ROUND_DOWN);
}

/** An amount rounded down to the market's amount step (never more than asked); unchanged without a step. The one rounding rule for amounts: strategies, the order path (lib/bots/precision.ts) and the backtester. */
export function roundDownToStep(amount: Money, step: Money | string | null): Money {
  return step ? amount.toNearest(step, Money.ROUND_DOWN) : amount;
}

/** The amount an order could name: rounded down to the step, zero under the minimum amount. */
export function tradableAmount(amount: string | Money, market: MarketView): Money {
  const rounded = roundDownToStep(new Money(amount), market.amountStep);
  if (rounded.lte(0) || (market.minAmount && rounded.lt(market.minAmount))) return zero;
  return rounded;
}

/** The amount a sell at `price` could name: tradable, and zero when worth less than the minimum notional. */
export function sellableAmount(position: string | Money, price: string | Money, market: MarketView): Money {
  const a = tradableAmount(position, market);
  return market.minNotional && a.mul(price).lt(market.minNotional) ? zero : a;
}

/**
 * How much of `holding` a limit sell worth one order (`orderAmount` at `price`) sells: the whole order
 * when the holding covers it; else — a buy brings a little less than a sell of the same quote needs,
 * once its fee is taken in the base asset and its amount rounded down to the step — what the holding
 * can sell, when that is at least half an order and an order the market takes; null when not.
 */
export function sellSize(holding: Money, orderAmount: Money, price: string | Money, market: MarketView): "order" | Money | null {
  if (holding.gte(orderAmount)) return "order";
  const part = sellableAmount(holding, price, market);
  return part.gt(0) && part.gte(orderAmount.div(2)) ? part : null;
}
