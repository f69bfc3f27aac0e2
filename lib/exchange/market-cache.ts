/**
 * Markets loaded once per exchange per process and shared by reference.
 *
 * `loadMarkets` per instance costs ~14 MB and one exchangeInfo request for a
 * Binance-sized exchange; `setMarkets(first.markets)` still rebuilds every
 * index (~4.8 MB, 74 ms). ccxt's `setMarketsFromExchange` hands over the
 * loaded structures themselves (markets, indexes, currencies), so an extra
 * instance costs about what a bare one does and can still trade any symbol.
 */
import type { Exchange } from "ccxt";

interface Entry {
  source: Promise<Exchange>;
  loadedAt: number;
}

const cache = new Map<string, Entry>();
export const marketsTtlMs = 6 * 3_600_000;

/** Gives `ex` the shared markets for `key`, loading them once through `loadSource()`. */
export async function shareMarkets(ex: Exchange, key: string, loadSource: () => Exchange, now = Date.now()): Promise<void> {
  let entry = cache.get(key);
  if (!entry || now - entry.loadedAt > marketsTtlMs) {
    const source = (async () => {
      const s = loadSource();
      await s.loadMarkets();
      return s;
    })();
    entry = { source, loadedAt: now };
    cache.set(key, entry);
    // A failed load is not cached: the next caller tries again.
    source.catch(() => cache.get(key) === entry && cache.delete(key));
  }
  ex.setMarketsFromExchange(await entry.source);
}

export function clearMarketCache(): void {
  cache.clear();
}
