/**
 * Risk limits (SECURITY.md 24): checked on every order a strategy asks for,
 * after it is rounded to the market's precision and before the order manager
 * sees it. Pure and decimal: the same checks run live, on paper and in the
 * backtester. A refusal is a reason, never an exception and never an order.
 *
 * The limits contain a stolen trade-only key as well as a buggy strategy:
 *  - only the bot's allowed symbols
 *  - no order worth more than maxOrderNotional (market orders at the last price + 1 %)
 *  - no more than maxOpenOrders resting or unconfirmed orders
 *  - no position beyond maxPosition, counting what open buys would add
 *  - no selling more than the bot holds, counting what open sells would take (spot: the rest
 *    of the account is not the bot's to sell)
 *  - nothing at all once the day's loss reaches maxDailyLoss, or with the kill switch on
 */
import { Money, zero } from "../money";
import { marketPriceAllowance } from "../strategies/market";

export interface RiskLimits {
  allowedSymbols: string[];
  maxOrderNotional: string;
  maxOpenOrders: number;
  maxPosition: string | null;
  maxDailyLoss: string;
  killSwitch: boolean;
}

/** A bot row's risk limits (the same for its runner and its replay). */
export function riskLimitsOf(b: { allowedSymbols: string; maxOrderNotional: string; maxOpenOrders: number; maxPosition: string | null; maxDailyLoss: string; killSwitch: boolean }): RiskLimits {
  return { allowedSymbols: JSON.parse(b.allowedSymbols || "[]") as string[], maxOrderNotional: b.maxOrderNotional, maxOpenOrders: b.maxOpenOrders, maxPosition: b.maxPosition, maxDailyLoss: b.maxDailyLoss, killSwitch: b.killSwitch };
}

export interface WorkingOrder {
  side: string;
  amount: string;
  filled: string;
}

export interface RiskState {
  /** the bot's base position */
  position: Money;
  /** the bot's pending and open orders */
  workingOrders: WorkingOrder[];
  lastPrice: string;
  /** PnL since 00:00 UTC (realized + unrealized) */
  dailyPnl: Money;
}

export interface OrderRequest {
  symbol: string;
  side: "buy" | "sell";
  type: "market" | "limit";
  amount: string;
  price: string | null;
}

export type RiskDecision = { ok: true } | { ok: false; reason: string; stopBot?: boolean };

export function dailyLossReached(limits: RiskLimits, state: RiskState): boolean {
  return state.dailyPnl.lte(new Money(limits.maxDailyLoss).neg());
}

/** What the orders of one side have left to fill (a backtest asks this of dozens of resting orders at every placement). */
function remaining(orders: WorkingOrder[], side: string): Money {
  let total = zero;
  for (const o of orders) {
    if (o.side !== side) continue;
    const left = !o.filled || o.filled === "0" ? new Money(o.amount) : new Money(o.amount).sub(o.filled);
    if (left.gt(0)) total = total.add(left);
  }
  return total;
}

export function checkOrder(req: OrderRequest, limits: RiskLimits, state: RiskState): RiskDecision {
  if (limits.killSwitch) return { ok: false, reason: "the kill switch is on" };
  if (dailyLossReached(limits, state)) return { ok: false, reason: `the day's loss (${state.dailyPnl.neg().toFixed(2)}) reached the limit of ${limits.maxDailyLoss}`, stopBot: true };
  if (!limits.allowedSymbols.includes(req.symbol)) return { ok: false, reason: `${req.symbol} is not an allowed symbol (allowed: ${limits.allowedSymbols.join(", ") || "none"})` };
  const amount = new Money(req.amount);
  if (!amount.isFinite() || amount.lte(0)) return { ok: false, reason: "the amount must be above zero" };
  if (req.type === "limit" && (req.price === null || !new Money(req.price).isFinite() || new Money(req.price).lte(0))) return { ok: false, reason: "a limit order needs a price above zero" };
  const price = req.type === "limit" ? new Money(req.price!) : new Money(state.lastPrice).mul(marketPriceAllowance);
  const notional = amount.mul(price);
  if (notional.gt(limits.maxOrderNotional)) return { ok: false, reason: `the order is worth ${notional.toFixed(2)}, more than the limit of ${limits.maxOrderNotional} per order` };
  if (state.workingOrders.length + 1 > limits.maxOpenOrders) return { ok: false, reason: `the bot already has ${state.workingOrders.length} open order(s), the limit is ${limits.maxOpenOrders}` };
  if (req.side === "buy" && limits.maxPosition !== null) {
    const after = state.position.add(remaining(state.workingOrders, "buy")).add(amount);
    if (after.gt(limits.maxPosition)) return { ok: false, reason: `the position could reach ${after.toFixed()}, more than the limit of ${limits.maxPosition}` };
  }
  if (req.side === "sell") {
    const committed = remaining(state.workingOrders, "sell").add(amount);
    if (committed.gt(state.position)) return { ok: false, reason: `selling ${committed.toFixed()} (with open sells) is more than the bot holds (${state.position.toFixed()})` };
  }
  return { ok: true };
}
