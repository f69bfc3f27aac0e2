/**
 * Candle history for backtests, cached in the database. Downloading goes
 * through ccxt's fetchOHLCV in pages (ccxt's rate limiter and the host's
 * shared rate budget pace it) and reports progress. What has been downloaded
 * is recorded as spans (`CandleSpan`): a span is a period whose candles are
 * all stored, holes the exchange itself has (maintenance, before a listing)
 * included. A download fetches only what no span covers, so a run again, or
 * one over a longer period, fetches only what is new (resumable), and a
 * history with holes is not fetched again for them. Reading is one query.
 */
import type { Exchange } from "ccxt";
import { dbKind, type Db } from "../db/client";
import { num } from "../exchange/exchange-values";
import type { Candle } from "../strategies/types";
import { closedUntil, timeframeMs, type Timeframe } from "../exchange/timeframes";
import { utcMinute } from "../utc";

export interface Range {
  exchange: string;
  symbol: string;
  timeframe: Timeframe;
  since: number;
  until: number;
}

export type CandleKey = Pick<Range, "exchange" | "symbol" | "timeframe">;

/**
 * Inside a transaction that writes one market's candles: waits for any other such transaction on the
 * same market and timeframe to end (SQLite runs one write transaction at a time anyway).
 */
export async function takeTurn(db: Db, tx: Pick<Db, "$executeRaw">, key: CandleKey): Promise<void> {
  if (dbKind(db) === "postgres") await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`candles ${key.exchange} ${key.symbol} ${key.timeframe}`}))`;
}

/** The parts of [since, until) no stored span covers, in order. */
async function uncovered(db: Db, r: Range): Promise<[number, number][]> {
  const spans = await db.candleSpan.findMany({ where: { exchange: r.exchange, symbol: r.symbol, timeframe: r.timeframe, from: { lt: new Date(r.until) }, to: { gt: new Date(r.since) } }, orderBy: { from: "asc" } });
  const gaps: [number, number][] = [];
  let at = r.since;
  for (const s of spans) {
    if (s.from.getTime() > at) gaps.push([at, s.from.getTime()]);
    at = Math.max(at, s.to.getTime());
  }
  if (at < r.until) gaps.push([at, r.until]);
  return gaps;
}

/**
 * Stores one page of candles over [from, to) — replacing what was stored there — and records the
 * span, joined with the spans it touches, in one transaction: a crash never leaves a span without its
 * candles. Two downloads of the same candles at once (two backtests queued together) take turns:
 * SQLite runs one write transaction at a time; on PostgreSQL an advisory lock per market and
 * timeframe does it (else both would insert the same candles, and one would fail).
 */
async function storePage(db: Db, key: CandleKey, from: number, to: number, rows: (number | string | undefined)[][]): Promise<void> {
  await db.$transaction(async (tx) => {
    await takeTurn(db, tx, key);
    const over = { ...key, openTime: { gte: new Date(from), lt: new Date(to) } };
    await tx.candle.deleteMany({ where: over });
    await tx.candle.createMany({ data: rows.map((row) => ({ ...key, openTime: new Date(row[0] as number), open: num(row[1])!, high: num(row[2])!, low: num(row[3])!, close: num(row[4])!, volume: num(row[5]) ?? "0" })) });
    const touching = await tx.candleSpan.findMany({ where: { ...key, from: { lte: new Date(to) }, to: { gte: new Date(from) } } });
    const start = Math.min(from, ...touching.map((s) => s.from.getTime()));
    const end = Math.max(to, ...touching.map((s) => s.to.getTime()));
    await tx.candleSpan.deleteMany({ where: { ...key, from: { in: touching.map((s) => s.from) } } });
    await tx.candleSpan.create({ data: { ...key, from: new Date(start), to: new Date(end) } });
  });
}

/** Fetches what the cache lacks of [since, until); returns how many candles it stored. */
export async function downloadCandles(db: Db, ex: Exchange, r: Range, opts: { onProgress?: (fraction: number) => void; cancelled?: () => boolean; pageSize?: number } = {}): Promise<number> {
  const { onProgress, cancelled, pageSize = 1000 } = opts;
  const tf = timeframeMs[r.timeframe];
  const key = { exchange: r.exchange, symbol: r.symbol, timeframe: r.timeframe };
  // only closed candles can be covered: the one still forming changes until it closes
  const gaps = await uncovered(db, { ...r, until: Math.min(r.until, closedUntil(tf, Date.now())) });
  const total = gaps.reduce((t, [a, b]) => t + (b - a), 0);
  let done = 0;
  let stored = 0;
  for (const [gapFrom, gapTo] of gaps) {
    let from = gapFrom;
    while (from < gapTo) {
      if (cancelled?.()) return stored;
      const rows = await ex.fetchOHLCV(r.symbol, r.timeframe, from, pageSize);
      const times = rows.map((row) => row[0] as number);
      if (!times.length) return stored; // nothing more: the present, or no history after `from`
      const fresh = rows.filter((row, i) => times[i]! >= from && times[i]! < gapTo);
      // The exchange answers with the first candles at or after `from`, so none exist before them, and a
      // candle past the gap means the page holds everything up to the gap's end — unless it ignores
      // `since` and answers its latest candles (Kraken's OHLC gives its last 720). A page that starts
      // after `from` and reaches the present could be that: the time before it stays uncovered (asked
      // again next time, one request) rather than taken for a hole.
      const start = times[0]! > from && times.at(-1)! + 2 * tf > Date.now() ? times[0]! : from;
      const to = times.some((t) => t >= gapTo) ? gapTo : fresh.length ? (fresh.at(-1)![0] as number) + tf : null;
      if (to === null) return stored;
      if (start >= to) break; // nothing this page proves about the gap
      await storePage(db, key, start, to, fresh);
      stored += fresh.length;
      done += to - from;
      from = to;
      onProgress?.(Math.min(1, done / total));
    }
  }
  return stored;
}

export async function loadCandles(db: Db, r: Range): Promise<Candle[]> {
  const rows = await db.candle.findMany({ where: { exchange: r.exchange, symbol: r.symbol, timeframe: r.timeframe, openTime: { gte: new Date(r.since), lt: new Date(r.until) } }, orderBy: { openTime: "asc" } });
  return rows.map((c) => ({ time: c.openTime.getTime(), open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }));
}

/**
 * What a user should know of a backtest's candles: how many, from when to when and, for a range
 * asked of an exchange, how many of its closed candles the exchange does not have (holes, or none
 * before a listing).
 */
export function describeCandles(candles: readonly Candle[], timeframe: Timeframe, asked?: Range, now = Date.now()): string {
  if (!candles.length) return "No candles.";
  const tf = timeframeMs[timeframe];
  const period = `${candles.length} candles from ${utcMinute(candles[0]!.time)} to ${utcMinute(candles.at(-1)!.time + tf)}.`;
  if (!asked) return period;
  const end = Math.min(asked.until, closedUntil(tf, now));
  const expected = Math.max(0, Math.ceil(end / tf) - Math.ceil(asked.since / tf));
  const missing = expected - candles.length;
  return missing > 0 ? `${period} ${asked.exchange} gave none for ${missing} of the ${expected} ${timeframe} candles in the period asked for (before the market was listed, a maintenance, or older than it gives out).` : period;
}
