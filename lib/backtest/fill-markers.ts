/**
 * Fills as price-chart markers. A report's: one per side at each plotted close
 * (the nearest one; the report's closes are thinned to at most 1,000 points),
 * counting the fills it stands for. A report with a million fills so draws at
 * most 2,000 markers, and the page sends the browser no more than that.
 */
export interface FillMarker {
  time: number;
  side: "buy" | "sell";
  count: number;
}

/** The plotted time nearest to t (the earlier of two as near); `times` ascending, not empty. */
function nearest(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  // times[lo] is the first at or after t
  return lo > 0 && t - times[lo - 1]! <= times[lo]! - t ? times[lo - 1]! : times[lo]!;
}

export function fillMarkers(times: readonly number[], fills: readonly { time: number; side: "buy" | "sell" }[]): FillMarker[] {
  if (!times.length) return [];
  const first = times[0]!;
  const last = times.at(-1)!;
  return tally(fills.filter((f) => f.time >= first && f.time <= last).map((f) => ({ time: nearest(times, f.time), side: f.side })));
}

/**
 * A live chart's fills on the candles they happened in (candles of `step` ms
 * from `first`; fills before it are off the chart): one marker per side and
 * candle, so a market maker's twenty fills in a minute are one arrow, not a
 * column of twenty over the price.
 */
export function candleFillMarkers(first: number, step: number, fills: readonly { time: number; side: "buy" | "sell" }[]): FillMarker[] {
  return tally(fills.filter((f) => f.time >= first).map((f) => ({ time: first + Math.floor((f.time - first) / step) * step, side: f.side })));
}

/** One marker per time and side, counting the fills there; by time, buys first. */
function tally(fills: readonly { time: number; side: "buy" | "sell" }[]): FillMarker[] {
  const marks = new Map<string, FillMarker>();
  for (const f of fills) {
    const key = `${f.time} ${f.side}`;
    const mark = marks.get(key);
    if (mark) mark.count++;
    else marks.set(key, { time: f.time, side: f.side, count: 1 });
  }
  return [...marks.values()].sort((a, b) => a.time - b.time || (a.side === b.side ? 0 : a.side === "buy" ? -1 : 1));
}
