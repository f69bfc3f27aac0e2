/**
 * Decimal arithmetic for money: prices, amounts, fees, balances, PnL and risk
 * limits are decimal strings in storage and `Money` values in between, never
 * JavaScript floats. 40 significant digits (the library's default of 20 is too
 * few for a 12-digit amount with 8 decimals multiplied by a price).
 */
import { Decimal } from "decimal.js";

export const Money = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Money = InstanceType<typeof Money>;

export const zero = new Money(0);

type Value = string | number | Money;

/** A decimal string as stored: plain notation, no exponent, trailing zeros trimmed. */
export function str(v: Value): string {
  return new Money(v).toFixed();
}

export function sum(values: Value[]): Money {
  return values.reduce<Money>((acc, v) => acc.add(v), zero);
}
