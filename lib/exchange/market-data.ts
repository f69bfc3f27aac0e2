/**
 * Public market data shared by every bot of a worker: one ticker fetch per
 * exchange and symbol per freshness window (default 1 s), however many bots
 * trade it; candles per exchange, symbol and timeframe, fetched again only
 * when a new candle may have closed. Concurrent callers share one request in
 * flight. Uses unauthenticated ccxt instances: market data never needs a key,
 * and paper bots never send a private request.
 */
import type { Exchange } from "ccxt";
import { openExchange } from "./open";
import type { Candle } from "../strategies/types";
import { num } from "./exchange-values";
import { timeframeLength } from "./timeframes";

export interface Ticker {
  last: string;
  bid: string | null;
  ask: string | null;
  /** exchange time of the ticker, ms */
  timestamp: number;
}

interface Entry<T> {
  at: number;
  value: Promise<T>;
}

export class MarketData {
  private readonly tickers = new Map<string, Entry<Ticker>>();
  private readonly candleSets = new Map<string, Entry<Candle[]>>();
  private readonly dayOpens = new Map<string, Entry<string | null>>();
  private readonly publics = new Map<string, Promise<Exchange>>();
  /** requests sent, by kind (benchmarks and tests read it) */
  readonly requests = { ticker: 0, candles: 0 };

  constructor(
    private readonly demoUrl: string | undefined,
    private readonly freshnessMs = 1000,
    private readonly clock: () => number = Date.now,
    private readonly timeoutMs = 10_000,
  ) {}

  /** The shared unauthenticated instance for an exchange (markets loaded). */
  publicExchange(exchange: string): Promise<Exchange> {
    let ex = this.publics.get(exchange);
    if (!ex) {
      ex = openExchange({ exchange, demoUrl: this.demoUrl, timeoutMs: this.timeoutMs });
      this.publics.set(exchange, ex);
      ex.catch(() => this.publics.delete(exchange));
    }
    return ex;
  }

  private cached<T>(map: Map<string, Entry<T>>, key: string, maxAgeMs: number, load: () => Promise<T>): Promise<T> {
    const now = this.clock();
    const hit = map.get(key);
    if (hit && now - hit.at < maxAgeMs) return hit.value;
    const value = load();
    const entry = { at: now, value };
    map.set(key, entry);
    value.catch(() => map.get(key) === entry && map.delete(key)); // a failure is not cached
    return value;
  }

  ticker(exchange: string, symbol: string): Promise<Ticker> {
    return this.cached(this.tickers, `${exchange}|${symbol}`, this.freshnessMs, async () => {
      this.requests.ticker++;
      const t = await (await this.publicExchange(exchange)).fetchTicker(symbol);
      const last = num(t.last ?? t.close);
      if (last === null) throw new Error(`${exchange} reported no last price for ${symbol}`);
      return { last, bid: num(t.bid), ask: num(t.ask), timestamp: t.timestamp ?? this.clock() };
    });
  }

  /** The last `count` closed candles (the one still forming is left out), oldest first. */
  candles(exchange: string, symbol: string, timeframe: string, count: number): Promise<Candle[]> {
    const tf = timeframeLength(timeframe);
    if (!tf) return Promise.reject(new Error(`Unknown timeframe ${timeframe}`));
    // fetched again once per freshness window at most, and only when a candle may have closed since
    const maxAge = Math.max(this.freshnessMs, Math.min(tf / 6, 60_000));
    return this.cached(this.candleSets, `${exchange}|${symbol}|${timeframe}|${count}`, maxAge, async () => {
      this.requests.candles++;
      const rows = await (await this.publicExchange(exchange)).fetchOHLCV(symbol, timeframe, undefined, count + 1);
      const now = this.clock();
      return rows
        .filter((r) => (r[0] as number) + tf <= now)
        .slice(-count)
        .map((r) => ({ time: r[0] as number, open: num(r[1])!, high: num(r[2])!, low: num(r[3])!, close: num(r[4])!, volume: num(r[5]) ?? "0" }));
    });
  }

  /** A chart's candles: the last `count`, the one still forming included, oldest first; fetched again after the freshness window. */
  chartCandles(exchange: string, symbol: string, timeframe: string, count: number): Promise<Candle[]> {
    if (!timeframeLength(timeframe)) return Promise.reject(new Error(`Unknown timeframe ${timeframe}`));
    return this.cached(this.candleSets, `${exchange}|${symbol}|${timeframe}|${count}|forming`, this.freshnessMs, async () => {
      this.requests.candles++;
      const rows = await (await this.publicExchange(exchange)).fetchOHLCV(symbol, timeframe, undefined, count);
      return rows.map((r) => ({ time: r[0] as number, open: num(r[1])!, high: num(r[2])!, low: num(r[3])!, close: num(r[4])!, volume: num(r[5]) ?? "0" }));
    });
  }

  /**
   * The open price of the UTC day that starts at `dayStart` (for daily PnL), or
   * null while the exchange has no candle for it yet (the first moments of a day).
   */
  async dayOpen(exchange: string, symbol: string, dayStart: number): Promise<string | null> {
    const key = `${exchange}|${symbol}|day|${dayStart}`;
    const open = await this.cached(this.dayOpens, key, 86_400_000, async () => {
      this.requests.candles++;
      const [row] = await (await this.publicExchange(exchange)).fetchOHLCV(symbol, "1d", dayStart, 1);
      return row && row[0] === dayStart ? num(row[1]) : null;
    });
    if (open === null) this.dayOpens.delete(key); // ask again later
    return open;
  }
}
