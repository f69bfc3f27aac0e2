/** CSV candles (lib/backtest/csv.ts): what is read, and candles whose spacing is not the timeframe refused. */
import { describe, expect, it } from "vitest";
import { checkSpacing, parseCandlesCsv } from "@/lib/backtest/csv";

const rows = (times: number[]) => times.map((t) => `${t},100,101,99,100.5,12`).join("\n");
const t0 = 1_733_011_200_000;

describe("CSV candles", () => {
  it("reads a header and rows, sorted oldest first", () => {
    const candles = parseCandlesCsv(`timestamp,open,high,low,close,volume\n${rows([t0 + 60_000, t0])}`);
    expect(candles.map((c) => c.time)).toEqual([t0, t0 + 60_000]);
    expect(candles[0]).toEqual({ time: t0, open: "100", high: "101", low: "99", close: "100.5", volume: "12" });
  });

  it("refuses timestamps in seconds, saying so (read as milliseconds they were 0.06 s apart, in 1970)", () => {
    expect(() => parseCandlesCsv(`timestamp,open,high,low,close,volume\n${rows([1_733_011_200, 1_733_011_260])}`)).toThrow(
      "Line 2: the timestamp 1733011200 looks like seconds (2024-12-01); the CSV needs milliseconds since 1970: 1733011200000.",
    );
  });

  it("reads a file that starts with a byte-order mark (a spreadsheet's CSV UTF-8), its header included", () => {
    expect(parseCandlesCsv(`\uFEFFtimestamp,open,high,low,close,volume\r\n${rows([t0])}\r\n`).map((c) => c.time)).toEqual([t0]);
  });

  it("refuses timestamps in microseconds (Binance's spot data dumps), saying so", () => {
    expect(() => parseCandlesCsv(rows([t0 * 1000]))).toThrow(
      "Line 1: the timestamp 1733011200000000 looks like microseconds (2024-12-01); the CSV needs milliseconds since 1970: 1733011200000.",
    );
  });

  it("accepts candles one timeframe apart, a missing one now and then included", () => {
    const hourly = parseCandlesCsv(rows([0, 1, 2, 4, 5, 6].map((h) => t0 + h * 3_600_000)));
    expect(() => checkSpacing(hourly, "1h")).not.toThrow();
  });

  it("refuses candles of another timeframe, naming it", () => {
    const minutes = parseCandlesCsv(rows([0, 1, 2, 3].map((m) => t0 + m * 60_000)));
    expect(() => checkSpacing(minutes, "1h")).toThrow("The candles are 1m apart, but the timeframe is 1h: choose 1m, or use candles of 1h.");
    const odd = parseCandlesCsv(rows([0, 90_000, 180_000].map((ms) => t0 + ms)));
    expect(() => checkSpacing(odd, "1m")).toThrow("The candles are 90 s apart, but the timeframe is 1m: choose the timeframe they were made with, or use candles of 1m.");
  });
});
