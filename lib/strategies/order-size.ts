/**
 * Parameters that would make every order of a bot fail: a strategy whose
 * parameters fix each order's size (Strategy.orderSize) next to the bot's max
 * order notional, its max position (one buy at the price now) and the
 * market's minimum order. Checked when a bot is saved, so such a bot is
 * refused with why instead of running and placing nothing.
 */
import { Money } from "../money";
import { marketPriceAllowance } from "./market";
import type { Strategy } from "./types";

export interface OrderSizeLimits {
  maxOrderNotional: string;
  /** the largest position in the base currency, if the bot has one */
  maxPosition?: string | null;
  /** the market's minimum order value and its last price, when known */
  market: { symbol: string; exchange: string; base: string; quote: string; minNotional: string | null; lastPrice: string | null } | null;
}

/** Field errors (`param.<name>`, `maxOrderNotional`) naming what to change, or null. */
export function orderSizeErrors(strategy: Strategy, params: Record<string, unknown>, limits: OrderSizeLimits): Record<string, string[]> | null {
  if (!strategy.orderSize) return null;
  const { param, type } = strategy.orderSize;
  const size = new Money(String(params[param]));
  const field = `param.${param}`;
  const each = type === "market" ? "buy" : "order";
  const counted = type === "market" ? size.mul(marketPriceAllowance) : size;
  if (counted.gt(limits.maxOrderNotional)) {
    const valued = type === "market" ? ` counts as up to ${counted.toFixed()} (a market order is valued at the last price + 1 %), which is` : " is";
    const message = `Each ${each} of ${size.toFixed()}${valued} more than the max order notional of ${limits.maxOrderNotional}: the risk limits would refuse every one. Lower it, or raise the limit to at least ${counted.toFixed()}.`;
    return { [field]: [message], maxOrderNotional: [`At least ${counted.toFixed()} for ${each}s of ${size.toFixed()}.`] };
  }
  const m = limits.market;
  if (m?.minNotional && size.lt(m.minNotional)) {
    return { [field]: [`Each ${each} of ${size.toFixed()} ${m.quote} is under ${m.symbol}'s minimum order of ${m.minNotional} ${m.quote} on ${m.exchange}: the exchange would refuse every one.`] };
  }
  // the risk limits count a buy's amount into the position: one buy over the max position is refused every time
  if (limits.maxPosition && m?.lastPrice) {
    const amount = size.div(m.lastPrice).toSignificantDigits(4, Money.ROUND_DOWN);
    if (amount.gt(limits.maxPosition)) {
      const message = `One ${each} of ${size.toFixed()} ${m.quote} buys about ${amount.toFixed()} ${m.base} at ${m.symbol}'s price now (${m.lastPrice}), more than the max position of ${limits.maxPosition} ${m.base}: the risk limits would refuse every buy.`;
      return { [field]: [`${message} Lower it, or raise the max position.`], maxPosition: [`At least ${amount.toFixed()} ${m.base} for one ${each} of ${size.toFixed()} ${m.quote} at the price now.`] };
    }
  }
  return null;
}
