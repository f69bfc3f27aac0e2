/** The report's shape, for pages that show it (no engine code). */
import type { Summary } from "./stats";

export type { Report, RoundTrip } from "./engine";
export type { SimFill } from "./simulated-exchange";
export type { Summary };

/** A report keeps the first this many refused orders. */
export const maxRefusalsKept = 1000;

/** The risk limits a backtest was given, as the bot form names them; those not given do not bind. */
export interface BacktestLimits {
  maxOrderNotional?: string;
  maxDailyLoss?: string;
  maxOpenOrders?: number;
  maxPosition?: string | null;
}

/** Of some limits (a form, a bot's), those a backtest names: given, as the bot form names them. */
export function givenLimits(l: BacktestLimits | undefined): BacktestLimits {
  const { maxOrderNotional, maxDailyLoss, maxOpenOrders, maxPosition } = l ?? {};
  return Object.fromEntries(Object.entries({ maxOrderNotional, maxDailyLoss, maxOpenOrders, maxPosition }).filter(([, v]) => v !== undefined && v !== null));
}

/** A parameter sweep's report: the grid and every run's parameters and statistics (written by ./jobs.ts). */
export interface SweepReport {
  kind: "sweep";
  grid: Record<string, string[]>;
  results: { params: Record<string, unknown>; summary: Summary }[];
}

/** Said with every backtest on the demo exchange's history (the report page, the CLI). */
export const demoMarketNote =
  "The demo exchange's market is synthetic: waves of about three days, six hours and half an hour plus a little noise. A strategy's result on it says how the strategy meets those waves: one whose periods suit them looks far better than on any real market, one whose signals lag them (a cross of averages a wave late) far worse. Use it to try Keyward, not to judge a strategy: backtest on a real exchange's history or your own CSV for that.";
