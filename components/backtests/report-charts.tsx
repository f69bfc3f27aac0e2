"use client";

/**
 * A backtest report's charts: equity with its drawdown below, and the price
 * with the fills as arrows (lib/backtest/fill-markers.ts). Times are the candles' (UTC) shown in local time.
 */
import { AreaSeries, createChart, createSeriesMarkers, LineSeries, type UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef } from "react";
import type { FillMarker } from "@/lib/backtest/fill-markers";

const local = (ms: number) => ((ms - new Date(ms).getTimezoneOffset() * 60_000) / 1000) as UTCTimestamp;

function baseOptions() {
  const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  return {
    autoSize: true,
    layout: { background: { color: "transparent" }, textColor: dark ? "#d4d4d8" : "#3f3f46", attributionLogo: false },
    grid: { vertLines: { visible: false }, horzLines: { color: dark ? "#27272a" : "#f4f4f5" } },
    timeScale: { timeVisible: true },
  };
}

/** One value per second at most: the chart needs strictly increasing times. */
function series<T>(points: T[], time: (p: T) => number, value: (p: T) => number) {
  const by = new Map<number, number>();
  for (const p of points) by.set(local(time(p)), value(p));
  return [...by].map(([t, v]) => ({ time: t as UTCTimestamp, value: v }));
}

export function EquityChart({ equity, quote }: { equity: { time: number; equity: string; drawdownPct: number }[]; quote: string }) {
  const box = useRef<HTMLDivElement>(null);
  const ddBox = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current || !ddBox.current || equity.length < 2) return;
    const chart = createChart(box.current, baseOptions());
    chart.addSeries(LineSeries, { color: "#2563eb", lineWidth: 2 }).setData(series(equity, (p) => p.time, (p) => Number(p.equity)));
    chart.timeScale().fitContent();
    const dd = createChart(ddBox.current, baseOptions());
    dd.addSeries(AreaSeries, { lineColor: "#dc2626", topColor: "rgba(220,38,38,0.05)", bottomColor: "rgba(220,38,38,0.3)", invertFilledArea: true }).setData(series(equity, (p) => p.time, (p) => -p.drawdownPct));
    dd.timeScale().fitContent();
    return () => {
      chart.remove();
      dd.remove();
    };
  }, [equity]);
  if (equity.length < 2) return <p className="text-sm text-zinc-500">Too few candles for a chart.</p>;
  const last = equity.at(-1)!;
  const worst = Math.max(...equity.map((e) => e.drawdownPct));
  return (
    <div className="space-y-1">
      <div ref={box} data-testid="equity-chart" role="img" aria-label={`Equity in ${quote} over the backtest; final ${last.equity}`} className="h-56 w-full rounded-lg border border-zinc-200 dark:border-zinc-800" />
      <div ref={ddBox} data-testid="drawdown-chart" role="img" aria-label={`Drawdown in percent; worst ${worst}%`} className="h-24 w-full rounded-lg border border-zinc-200 dark:border-zinc-800" />
    </div>
  );
}

/** Arrows with their side (and how many fills each stands for) while there are few; beyond that the text would cover the line. */
const labelledMarkers = 80;

export function PriceWithFills({ prices, marks, fills, symbol }: { prices: { time: number; close: string }[]; marks: FillMarker[]; fills: number; symbol: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current || prices.length < 2) return;
    const chart = createChart(box.current, baseOptions());
    const line = chart.addSeries(LineSeries, { color: "#71717a", lineWidth: 1 });
    line.setData(series(prices, (p) => p.time, (p) => Number(p.close)));
    const labelled = marks.length <= labelledMarkers;
    createSeriesMarkers(
      line,
      marks.map((m) => ({
        time: local(m.time),
        position: m.side === "buy" ? ("belowBar" as const) : ("aboveBar" as const),
        color: m.side === "buy" ? "#059669" : "#dc2626",
        shape: m.side === "buy" ? ("arrowUp" as const) : ("arrowDown" as const),
        text: labelled ? (m.count > 1 ? `${m.side} ×${m.count}` : m.side) : "",
      })),
    );
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [prices, marks]);
  if (prices.length < 2) return null;
  return <div ref={box} data-testid="price-chart" role="img" aria-label={`${symbol} closes with ${fills} fills`} className="h-64 w-full rounded-lg border border-zinc-200 dark:border-zinc-800" />;
}
