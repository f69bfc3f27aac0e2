/**
 * Candles from CSV: `timestamp,open,high,low,close,volume`, timestamp in ms,
 * a header line optional, oldest first (sorted if not; duplicates refused).
 * Every error names its line and what is wrong.
 */
import type { Candle } from "../strategies/types";

const decimal = /^\d+(\.\d+)?$/;

export class CsvError extends Error {
  override name = "CsvError";
}

export function parseCandlesCsv(text: string, maxRows = 5_000_000): Candle[] {
  const lines = text.split(/\r?\n/);
  const out: Candle[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    if (i === 0 && /^[a-z_"]/i.test(line)) continue; // a header
    const cells = line.split(",").map((c) => c.trim());
    if (cells.length < 6) throw new CsvError(`Line ${i + 1}: expected 6 columns (timestamp,open,high,low,close,volume), found ${cells.length}.`);
    const [ts, open, high, low, close, volume] = cells as [string, string, string, string, string, string];
    if (!/^\d{10,15}$/.test(ts)) throw new CsvError(`Line ${i + 1}: the timestamp must be milliseconds since 1970 (e.g. 1733270400000), not "${ts.slice(0, 30)}".`);
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
