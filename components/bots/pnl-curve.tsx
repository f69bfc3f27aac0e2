"use client";

/** A bot's total PnL over time (the equity curve): green above zero, red below; local time on the axis. */
import { BaselineSeries, createChart, type UTCTimestamp } from "lightweight-charts";
import { useEffect, useRef } from "react";

const local = (ms: number) => ((ms - new Date(ms).getTimezoneOffset() * 60_000) / 1000) as UTCTimestamp;

export function PnlCurve({ points, quote }: { points: { at: string; totalPnl: string }[]; quote: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current || points.length < 2) return;
    const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
    const chart = createChart(box.current, {
      autoSize: true,
      layout: { background: { color: "transparent" }, textColor: dark ? "#d4d4d8" : "#3f3f46", attributionLogo: false },
      grid: { vertLines: { visible: false }, horzLines: { color: dark ? "#27272a" : "#f4f4f5" } },
      timeScale: { timeVisible: true },
    });
    const series = chart.addSeries(BaselineSeries, { baseValue: { type: "price", price: 0 }, topLineColor: "#059669", bottomLineColor: "#dc2626", topFillColor1: "rgba(5,150,105,0.2)", topFillColor2: "rgba(5,150,105,0.02)", bottomFillColor1: "rgba(220,38,38,0.02)", bottomFillColor2: "rgba(220,38,38,0.2)" });
    // one point per second at most (the chart needs strictly increasing times)
    const bySecond = new Map<number, number>();
    for (const p of points) bySecond.set(local(Date.parse(p.at)), Number(p.totalPnl));
    series.setData([...bySecond].map(([time, value]) => ({ time: time as UTCTimestamp, value })));
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [points]);
  if (points.length < 2) return <p className="text-sm text-zinc-500">The equity curve appears once the bot has recorded its PnL twice (every 5 minutes while it runs, sooner after fills).</p>;
  return <div ref={box} data-testid="pnl-curve" role="img" aria-label={`Total PnL in ${quote} over time, ${points.length} points; last ${points.at(-1)!.totalPnl} ${quote}`} className="h-48 w-full rounded-lg border border-zinc-200 dark:border-zinc-800" />;
}
