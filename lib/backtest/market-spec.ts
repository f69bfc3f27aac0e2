import type { Exchange } from "ccxt";
import { marketRules } from "../bots/precision";
import type { MarketSpec } from "./engine";

/** The market's amount step, price tick and minimum notional, as the backtester takes them. */
export function marketSpec(ex: Exchange, symbol: string): MarketSpec | null {
  const m = ex.markets?.[symbol];
  if (!m) return null;
  const r = marketRules(m, ex.precisionMode ?? 0);
  return { amountStep: r.amountStep?.toFixed() ?? null, priceTick: r.priceTick?.toFixed() ?? null, minNotional: r.minCost?.toFixed() ?? null };
}
