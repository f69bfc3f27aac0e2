"use client";

/**
 * The bot's symbol as live candles (lightweight-charts) with its fills as
 * arrows and its open orders as price lines. Loads its data itself (so the
 * page never waits on the exchange, neither at first nor when the page
 * re-renders for an event), again every 5 s and at once when the page's event
 * stream reports an order or a fill of this bot (see LiveUpdates). Times are
 * shown in the browser's time zone.
 */
import { CandlestickSeries, createChart, type AutoscaleInfo, createSeriesMarkers, type IChartApi, type IPriceLine, type ISeriesApi, type ISeriesMarkersPluginApi, type Time, type UTCTimestamp } from "lightweight-charts";
import { useCallback, useEffect, useRef, useState } from "react";
import { candleFillMarkers } from "@/lib/backtest/fill-markers";
import { chartTimeframes, type ChartDTO } from "@/lib/bot-settings/dto";
import type { LiveEvent } from "../live-updates";

const reloadEveryMs = 5000;

/** lightweight-charts draws UTC: shift times so its axis reads in local time */
const local = (ms: number) => ((ms - new Date(ms).getTimezoneOffset() * 60_000) / 1000) as UTCTimestamp;

function decimals(prices: string[]): number {
  return Math.min(8, Math.max(2, ...prices.map((p) => (p.split(".")[1] ?? "").length)));
}

export function PriceChart({ botId, symbol }: { botId: string; symbol: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<{ api: IChartApi; series: ISeriesApi<"Candlestick">; markers: ISeriesMarkersPluginApi<Time>; lines: IPriceLine[] } | null>(null);
  const [data, setData] = useState<ChartDTO | null>(null);
  const [timeframe, setTimeframe] = useState<string>("1m");
  const [loadError, setLoadError] = useState<string | null>(null);
  const wanted = useRef<string>("1m");
  const nearest = useRef<{ below: number | null; above: number | null }>({ below: null, above: null });

  const load = useCallback(async (tf: string) => {
    try {
      const res = await fetch(`/api/bots/${encodeURIComponent(botId)}/chart?timeframe=${tf}`, { cache: "no-store" });
      if (!res.ok) throw new Error(((await res.json().catch(() => null)) as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${res.status}`);
      const next = (await res.json()) as ChartDTO;
      if (next.timeframe === wanted.current) setData(next); // an answer for a timeframe no longer shown is dropped
      setLoadError(null);
    } catch (err) {
      setLoadError(`Could not refresh the chart: ${(err as Error).message}`);
    }
  }, [botId]);

  // the chart itself, once
  useEffect(() => {
    if (!box.current) return;
    const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
    const api = createChart(box.current, {
      autoSize: true,
      layout: { background: { color: "transparent" }, textColor: dark ? "#d4d4d8" : "#3f3f46", attributionLogo: false },
      grid: { vertLines: { color: dark ? "#27272a" : "#f4f4f5" }, horzLines: { color: dark ? "#27272a" : "#f4f4f5" } },
      timeScale: { timeVisible: true, secondsVisible: false, rightOffset: 4 },
    });
    const series = api.addSeries(CandlestickSeries, {
      upColor: "#059669", downColor: "#dc2626", borderVisible: false, wickUpColor: "#059669", wickDownColor: "#dc2626",
      // the scale takes in the nearest open order on each side of the price (price lines alone do not move it): a grid's next levels show
      autoscaleInfoProvider: (original: () => AutoscaleInfo | null) => {
        const res = original();
        const { below, above } = nearest.current;
        const range = res?.priceRange;
        if (range && below !== null) range.minValue = Math.min(range.minValue, below);
        if (range && above !== null) range.maxValue = Math.max(range.maxValue, above);
        return res;
      },
    });
    chart.current = { api, series, markers: createSeriesMarkers(series, []), lines: [] };
    return () => {
      api.remove();
      chart.current = null;
    };
  }, []);

  // load now, then on a timer and on this bot's orders and fills
  useEffect(() => {
    const first = setTimeout(() => void load(timeframe), 0);
    const timer = setInterval(() => document.visibilityState === "visible" && void load(timeframe), reloadEveryMs);
    const onEvent = (e: Event) => {
      const ev = (e as CustomEvent<LiveEvent>).detail;
      if (ev.botId === botId && (ev.type === "trade" || ev.type === "order")) void load(timeframe);
    };
    window.addEventListener("keyward:event", onEvent);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
      window.removeEventListener("keyward:event", onEvent);
    };
  }, [botId, load, timeframe]);

  // draw
  useEffect(() => {
    const c = chart.current;
    if (!c || !data) return;
    const digits = decimals(data.candles.slice(-20).map((k) => k.close));
    c.series.applyOptions({ priceFormat: { type: "price", precision: digits, minMove: 10 ** -digits } });
    const last = Number(data.candles.at(-1)?.close ?? NaN);
    const prices = data.openOrders.map((o) => Number(o.price));
    const below = prices.filter((p) => p <= last);
    const above = prices.filter((p) => p >= last);
    nearest.current = { below: below.length ? Math.max(...below) : null, above: above.length ? Math.min(...above) : null };
    c.series.setData(data.candles.map((k) => ({ time: local(k.time), open: Number(k.open), high: Number(k.high), low: Number(k.low), close: Number(k.close) })));
    // fills are drawn on the candle they happened in, one arrow per side and candle
    const first = data.candles[0]?.time ?? 0;
    const step = data.candles.length > 1 ? data.candles[1]!.time - first : 60_000;
    c.markers.setMarkers(
      candleFillMarkers(first, step, data.fills).map((m) => {
        const text = m.count > 1 ? ` ×${m.count}` : "";
        return m.side === "buy"
          ? { time: local(m.time), position: "belowBar" as const, shape: "arrowUp" as const, color: "#2563eb", text: `B${text}` }
          : { time: local(m.time), position: "aboveBar" as const, shape: "arrowDown" as const, color: "#db2777", text: `S${text}` };
      }),
    );
    for (const line of c.lines) c.series.removePriceLine(line);
    c.lines = data.openOrders.map((o) => c.series.createPriceLine({ price: Number(o.price), color: o.side === "buy" ? "#059669" : "#dc2626", lineStyle: 2, lineWidth: 1, axisLabelVisible: true, title: o.side }));
  }, [data]);

  const error = data?.error ?? loadError;
  const fills = data?.fills.length ?? 0;
  const orders = data?.openOrders.length ?? 0;
  return (
    <section aria-labelledby="chart-title" className="mb-6">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id="chart-title" className="text-lg font-medium">
          {symbol}
        </h2>
        <div role="group" aria-label="Timeframe" className="flex gap-1">
          {chartTimeframes.map((tf) => (
            <button
              key={tf}
              type="button"
              aria-pressed={tf === timeframe}
              onClick={() => {
                wanted.current = tf;
                setTimeframe(tf);
                void load(tf);
              }}
              className={`rounded px-2 py-0.5 text-xs ${tf === timeframe ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "text-zinc-600 hover:bg-zinc-200 dark:text-zinc-300 dark:hover:bg-zinc-800"}`}
            >
              {tf}
            </button>
          ))}
        </div>
      </div>
      <div className="relative">
        <div
          ref={box}
          data-testid="price-chart"
          data-candles={data?.candles.length ?? 0}
          data-markers={fills}
          data-order-lines={orders}
          aria-busy={!data}
          role="img"
          aria-label={data ? `${symbol} candles (${timeframe}) with ${fills} fill(s) and ${orders} open order(s) marked` : `${symbol} chart loading`}
          className="h-72 w-full rounded-lg border border-zinc-200 dark:border-zinc-800"
        />
        {!data && !loadError && <p className="pointer-events-none absolute inset-0 flex animate-pulse items-center justify-center text-sm text-zinc-500">Loading prices…</p>}
      </div>
      {error && (
        <p role="alert" className="mt-1 text-sm text-amber-700 dark:text-amber-400">
          {error}
        </p>
      )}
      <p className="mt-1 text-xs text-zinc-500">Arrows: this bot&apos;s fills (blue up: buy, pink down: sell). Dashed lines: its open orders (the scale reaches the nearest one above and below the price).</p>
    </section>
  );
}
