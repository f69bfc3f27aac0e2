/**
 * Rounding an order to its market, in decimals: amounts down to the amount
 * step (never more than asked), buy prices down and sell prices up to the
 * price tick (never a worse price than the strategy asked for). Markets come
 * from ccxt, whose precision is a step (TICK_SIZE mode, e.g. Binance) or a
 * number of decimal places.
 */
import ccxt, { type MarketInterface } from "ccxt";
import { Money } from "../money";
import { num } from "../exchange/exchange-values";
import { roundDownToStep } from "../strategies/market";
import type { MarketView } from "../strategies/types";

function step(precision: number | undefined, mode: number): Money | null {
  if (precision === undefined || precision === null) return null;
  if (mode === ccxt.TICK_SIZE) return new Money(num(precision)!);
  if (mode === ccxt.DECIMAL_PLACES) return new Money(10).pow(-precision);
  return null; // significant digits: left to the exchange
}

export interface MarketRules {
  amountStep: Money | null;
  priceTick: Money | null;
  minAmount: Money | null;
  minCost: Money | null;
}

export function marketRules(market: MarketInterface, precisionMode: number): MarketRules {
  const min = (v: number | undefined) => (v === undefined || v === null ? null : new Money(num(v)!));
  return { amountStep: step(market.precision.amount, precisionMode), priceTick: step(market.precision.price, precisionMode), minAmount: min(market.limits.amount?.min), minCost: min(market.limits.cost?.min) };
}

/** The rules as a strategy sees them (lib/strategies/market.ts). */
export function marketView(rules: MarketRules): MarketView {
  const s = (v: Money | null) => (v ? v.toFixed() : null);
  return { amountStep: s(rules.amountStep), priceTick: s(rules.priceTick), minAmount: s(rules.minAmount), minNotional: s(rules.minCost) };
}

export function roundAmount(amount: Money, rules: MarketRules): Money {
  return roundDownToStep(amount, rules.amountStep);
}

export function roundPrice(price: Money, side: "buy" | "sell", rules: MarketRules): Money {
  return rules.priceTick ? price.toNearest(rules.priceTick, side === "buy" ? Money.ROUND_DOWN : Money.ROUND_UP) : price;
}

/** Why the exchange would refuse an order this small, or null. */
export function belowMinimum(amount: Money, price: Money, rules: MarketRules): string | null {
  if (amount.lte(0)) return "the amount rounds to zero at the market's precision";
  if (rules.minAmount && amount.lt(rules.minAmount)) return `the amount ${amount.toFixed()} is below the market's minimum of ${rules.minAmount.toFixed()}`;
  if (rules.minCost && amount.mul(price).lt(rules.minCost)) return `the order is worth ${amount.mul(price).toFixed()}, below the market's minimum of ${rules.minCost.toFixed()}`;
  return null;
}
