/**
 * A ready ccxt instance for one key: built by the factory, drawing from the
 * host's shared rate budget for that exchange, with the shared markets.
 */
import type { Exchange } from "ccxt";
import { buildExchange, demoExchangeId, type BuildOptions } from "./ccxt-factory";
import { shareMarkets } from "./market-cache";
import { shareRateBudget } from "./rate-budget";
import { timeRequests } from "../metrics/registry";

export function exchangeKey(opts: Pick<BuildOptions, "exchange" | "demoUrl">): string {
  return opts.exchange === demoExchangeId ? `${demoExchangeId}@${opts.demoUrl}` : opts.exchange;
}

export async function openExchange(opts: BuildOptions): Promise<Exchange> {
  const key = exchangeKey(opts);
  const ex = buildExchange(opts);
  shareRateBudget(ex, key);
  timeRequests(ex, opts.exchange);
  await shareMarkets(ex, key, () => {
    const source = buildExchange({ ...opts, credentials: undefined });
    shareRateBudget(source, key);
    return source;
  });
  return ex;
}
