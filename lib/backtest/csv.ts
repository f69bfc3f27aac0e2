/**
 * Candles from CSV: `timestamp,open,high,low,close,volume`, timestamp in ms,
 * a header line optional, oldest first (sorted if not; duplicates refused).
 * Every error names its line and what is wrong.
 */
import { timeframeMs, timeframes, type Timeframe } from "../exchange/timeframes";
import type { Candle } from "../strategies/types";

const decimal = /^\d+(\.\d+)?$/;

/** The most CSV the web form and the API take (1 MB); the command line reads larger files. */
export const maxCsvChars = 1_000_000;

export class CsvError extends Error {
  override name = "CsvError";
}

export function parseCandlesCsv(text: string, maxRows = 5_000_000): Candle[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/); // a byte-order mark: spreadsheets' "CSV UTF-8"
  const out: Candle[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    if (i === 0 && /^[a-z_"]/i.test(line)) continue; // a header
    const cells = line.split(",").map((c) => c.trim());
    if (cells.length < 6) throw new CsvError(`Line ${i + 1}: expected 6 columns (timestamp,open,high,low,close,volume), found ${cells.length}.`);
    const [ts, open, high, low, close, volume] = cells as [string, string, string, string, string, string];
    // microseconds: Binance's spot data dumps (data.binance.vision) since 2025
    if (/^\d{16}$/.test(ts)) throw new CsvError(`Line ${i + 1}: the timestamp ${ts} looks like microseconds (${new Date(Number(ts) / 1000).toISOString().slice(0, 10)}); the CSV needs milliseconds since 1970: ${ts.slice(0, 13)}.`);
    if (!/^\d{10,15}$/.test(ts)) throw new CsvError(`Line ${i + 1}: the timestamp must be milliseconds since 1970 (e.g. 1733270400000), not "${ts.slice(0, 30)}".`);
    // before 1973 in milliseconds, a date of our time in seconds: a common export, read 1,000 times too close together
    if (Number(ts) < 1e11) throw new CsvError(`Line ${i + 1}: the timestamp ${ts} looks like seconds (${new Date(Number(ts) * 1000).toISOString().slice(0, 10)}); the CSV needs milliseconds since 1970: ${ts}000.`);
    for (const [name, v] of [["open", open], ["high", high], ["low", low], ["close", close], ["volume", volume]] as const) if (!decimal.test(v)) throw new CsvError(`Line ${i + 1}: ${name} must be a plain decimal number, not "${v.slice(0, 30)}".`);
    if (Number(high) < Math.max(Number(open), Number(close), Number(low)) || Number(low) > Math.min(Number(open), Number(close))) throw new CsvError(`Line ${i + 1}: high and low must contain open and close.`);
    out.push({ time: Number(ts), open, high, low, close, volume });
    if (out.length > maxRows) throw new CsvError(`More than ${maxRows} candles; split the file.`);
  }
  if (!out.length) throw new CsvError("The file holds no candles.");
  out.sort((a, b) => a.time - b.time);
  for (let i = 1; i < out.length; i++) if (out[i]!.time === out[i - 1]!.time) throw new CsvError(`Two candles at ${out[i]!.time}: each timestamp once.`);
  return out;
}

/**
 * Refuses candles whose usual spacing is not the timeframe: the engine takes a candle to close one
 * timeframe after it opens, so 1-minute candles run as "1h" would act on closes that have not
 * happened. Missing candles (a gap now and then) are fine: the most common spacing decides.
 */
export function checkSpacing(candles: readonly Candle[], timeframe: Timeframe): void {
  if (candles.length < 2) return;
  const counts = new Map<number, number>();
  for (let i = 1; i < candles.length; i++) {
    const gap = candles[i]!.time - candles[i - 1]!.time;
    counts.set(gap, (counts.get(gap) ?? 0) + 1);
  }
  const usual = [...counts].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  if (usual === timeframeMs[timeframe]) return;
  const named = timeframes.find((tf) => timeframeMs[tf] === usual);
  throw new CsvError(`The candles are ${named ?? `${usual / 1000} s`} apart, but the timeframe is ${timeframe}: ${named ? `choose ${named}` : "choose the timeframe they were made with"}, or use candles of ${timeframe}.`);
}
