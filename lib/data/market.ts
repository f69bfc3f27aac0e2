import "server-only";
import { env } from "../env";
import { MarketData } from "../exchange/market-data";

const g = globalThis as unknown as { __keywardMarket?: MarketData };

/**
 * The web process's public market data (no key): one request per symbol per
 * second at most, however many pages ask; a page waits at most 3 s for an
 * exchange that does not answer.
 */
export function webMarket(): MarketData {
  g.__keywardMarket ??= new MarketData(env().demoExchangeUrl, 1000, Date.now, 3000);
  return g.__keywardMarket;
}
