/** A report's fills as price-chart markers (lib/backtest/fill-markers.ts). */
import { describe, expect, it } from "vitest";
import { candleFillMarkers, fillMarkers } from "@/lib/backtest/fill-markers";

describe("issue 11: the report's price chart marks every fill, in at most two markers a plotted close", () => {
  const times = [0, 100, 200, 300];
  it("puts each fill on the nearest plotted close (the earlier of two as near), one marker per side counting its fills", () => {
    const fills = [
      { time: 0, side: "buy" as const },
      { time: 40, side: "buy" as const }, // nearer 0
      { time: 50, side: "sell" as const }, // as near 0 as 100: the earlier
      { time: 160, side: "sell" as const }, // nearer 200
      { time: 190, side: "sell" as const },
      { time: 300, side: "buy" as const },
    ];
    expect(fillMarkers(times, fills)).toEqual([
      { time: 0, side: "buy", count: 2 },
      { time: 0, side: "sell", count: 1 },
      { time: 200, side: "sell", count: 2 },
      { time: 300, side: "buy", count: 1 },
    ]);
  });
  it("leaves out fills outside the plotted period, and a hundred thousand fills still make at most two markers a close", () => {
    expect(fillMarkers(times, [{ time: -1, side: "buy" }, { time: 301, side: "sell" }])).toEqual([]);
    expect(fillMarkers([], [{ time: 0, side: "buy" }])).toEqual([]);
    const many = Array.from({ length: 100_000 }, (_, i) => ({ time: i % 301, side: i % 2 ? ("sell" as const) : ("buy" as const) }));
    const marks = fillMarkers(times, many);
    expect(marks).toHaveLength(8);
    expect(marks.reduce((n, m) => n + m.count, 0)).toBe(100_000);
  });
});

describe("a bot's live chart marks its fills on their candles, one arrow per side and candle", () => {
  it("counts a market maker's many fills in one minute as one buy and one sell marker, and leaves out fills before the first candle", () => {
    const minute = 60_000;
    const first = 1_000 * minute;
    const fills = [
      { time: first - 1, side: "buy" as const }, // before the chart
      ...Array.from({ length: 20 }, (_, i) => ({ time: first + 2 * minute + i * 2_000, side: i % 2 ? ("sell" as const) : ("buy" as const) })),
      { time: first + 3 * minute, side: "sell" as const }, // the next candle's first instant
    ];
    expect(candleFillMarkers(first, minute, fills)).toEqual([
      { time: first + 2 * minute, side: "buy", count: 10 },
      { time: first + 2 * minute, side: "sell", count: 10 },
      { time: first + 3 * minute, side: "sell", count: 1 },
    ]);
  });
});
