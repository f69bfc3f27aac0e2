/** A report's fills as price-chart markers (lib/backtest/fill-markers.ts). */
import { describe, expect, it } from "vitest";
import { fillMarkers } from "@/lib/backtest/fill-markers";

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
