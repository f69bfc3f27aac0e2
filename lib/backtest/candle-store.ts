/**
 * Candle history for backtests, cached in the database. Downloading goes
 * through ccxt's fetchOHLCV in pages (ccxt's rate limiter and the host's
 * shared rate budget pace it), continues from the last stored candle when run
 * again (resumable) unless the stored candles have a gap, and reports
 * progress. Reading is one query.
 */
import type { Exchange } from "ccxt";
import type { Db } from "../db/client";
import { num } from "../exchange/exchange-values";
import type { Candle } from "../strategies/types";
import { timeframeMs, type Timeframe } from "../exchange/timeframes";

export interface Range {
  exchange: string;
  symbol: string;
  timeframe: Timeframe;
  since: number;
  until: number;
}

/** Fetches what the cache lacks of [since, until); returns how many candles it stored. */
export async function downloadCandles(db: Db, ex: Exchange, r: Range, opts: { onProgress?: (fraction: number) => void; cancelled?: () => boolean; pageSize?: number } = {}): Promise<number> {
  const { onProgress, cancelled, pageSize = 1000 } = opts;
  const tf = timeframeMs[r.timeframe];
  const key = { exchange: r.exchange, symbol: r.symbol, timeframe: r.timeframe };
  const inRange = { ...key, openTime: { gte: new Date(r.since), lt: new Date(r.until) } };
  const cached = await db.candle.aggregate({ where: inRange, _min: { openTime: true }, _max: { openTime: true }, _count: true });
  const first = cached._min.openTime?.getTime();
  const last = cached._max.openTime?.getTime();
  // resume after the last stored candle when the stored candles run from `since` without a gap (two
  // earlier downloads of separate periods leave one between them); otherwise fetch the whole range
  const unbroken = first !== undefined && last !== undefined && first <= r.since + tf && cached._count === (last - first) / tf + 1;
  let from = unbroken ? last + tf : r.since;
  let stored = 0;
  while (from < r.until) {
    if (cancelled?.()) return stored;
    const rows = await ex.fetchOHLCV(r.symbol, r.timeframe, from, pageSize);
    const fresh = rows.filter((row) => (row[0] as number) >= from && (row[0] as number) < r.until && (row[0] as number) + tf <= Date.now());
    if (!fresh.length) break;
    // a page replaces what is stored over its span, in one transaction: a crash never leaves the span half-written
    await db.$transaction([
      db.candle.deleteMany({ where: { ...key, openTime: { gte: new Date(fresh[0]![0] as number), lte: new Date(fresh.at(-1)![0] as number) } } }),
      db.candle.createMany({
        data: fresh.map((row) => ({ ...key, openTime: new Date(row[0] as number), open: num(row[1])!, high: num(row[2])!, low: num(row[3])!, close: num(row[4])!, volume: num(row[5]) ?? "0" })),
      }),
    ]);
    stored += fresh.length;
    from = (fresh.at(-1)![0] as number) + tf;
    onProgress?.(Math.min(1, (from - r.since) / (r.until - r.since)));
    if (rows.length < pageSize && from + tf > Date.now()) break; // reached the present
  }
  return stored;
}

export async function loadCandles(db: Db, r: Range): Promise<Candle[]> {
  const rows = await db.candle.findMany({ where: { exchange: r.exchange, symbol: r.symbol, timeframe: r.timeframe, openTime: { gte: new Date(r.since), lt: new Date(r.until) } }, orderBy: { openTime: "asc" } });
  return rows.map((c) => ({ time: c.openTime.getTime(), open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }));
}
