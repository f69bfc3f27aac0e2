/**
 * A seeded, repeatable price path: the price of a symbol at any millisecond is
 * a pure function of (seed, symbol, time), so history for klines needs no
 * storage and every run sees the same market. Slow and fast waves plus hashed
 * noise; the thin DEMO market swings hardest.
 */
import { hash } from "node:crypto";
import { Decimal } from "decimal.js";
import type { SymbolSpec } from "./markets";

const stepMs = 1000;

function noise(seed: string, symbol: string, i: number): number {
  // the first 4 bytes of the digest as an unsigned integer (hex: no Buffer per call)
  return parseInt(hash("sha256", `${seed}:${symbol}:${i}`, "hex").slice(0, 8), 16) / 0xffffffff - 0.5;
}

/** Each (seed, symbol)'s phase, hashed once (a candle samples the path up to 600 times). */
const phases = new Map<string, number>();

function phaseOf(seed: string, symbol: string): number {
  const key = `${seed}:${symbol}`;
  let phase = phases.get(key);
  if (phase === undefined) {
    if (phases.size >= 10_000) phases.clear();
    phase = (noise(seed, symbol, -1) + 0.5) * 1000;
    phases.set(key, phase);
  }
  return phase;
}

function rawPrice(spec: SymbolSpec, seed: string, ms: number): number {
  const t = ms / 1000;
  const phase = phaseOf(seed, spec.id);
  const i = Math.floor(ms / stepMs);
  // Interpolated noise keeps the path continuous between whole seconds (at a whole second the next one's weight is 0).
  const f = (ms % stepMs) / stepMs;
  const n = f === 0 ? noise(seed, spec.id, i) : noise(seed, spec.id, i) * (1 - f) + noise(seed, spec.id, i + 1) * f;
  const a = spec.amplitude;
  return spec.basePrice * Math.exp(a * Math.sin((t + phase) / 43_200) + a * 0.4 * Math.sin((t + phase) / 3_600) + a * 0.1 * Math.sin((t + phase) / 300) + a * 0.02 * n);
}

const toTick = (spec: SymbolSpec, raw: number) => new Decimal(raw).toNearest(spec.tickSize, Decimal.ROUND_HALF_UP);

/** Price rounded to the symbol's tick size. */
export function priceAt(spec: SymbolSpec, seed: string, ms: number): Decimal {
  return toTick(spec, rawPrice(spec, seed, ms));
}

/**
 * Lowest and highest price over [from, to], sampled every second (plus both ends).
 * Rounding to the tick never reverses an order, so the extremes are found unrounded and only they are rounded.
 */
export function rangeAt(spec: SymbolSpec, seed: string, from: number, to: number): { low: Decimal; high: Decimal } {
  const first = rawPrice(spec, seed, from);
  const last = rawPrice(spec, seed, to);
  let low = Math.min(first, last);
  let high = Math.max(first, last);
  for (let ms = Math.ceil(from / stepMs) * stepMs; ms < to; ms += Math.max(stepMs, Math.floor((to - from) / 600))) {
    const p = rawPrice(spec, seed, ms);
    if (p < low) low = p;
    if (p > high) high = p;
  }
  return { low: toTick(spec, low), high: toTick(spec, high) };
}

export const intervals: Record<string, number> = { "1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000, "1h": 3_600_000, "2h": 7_200_000, "4h": 14_400_000, "1d": 86_400_000 };

/** A period the exchange has no candles for (maintenance, before a listing): [from, to) in ms. */
export interface Outage {
  symbol?: string;
  from: number;
  to: number;
}

/** Binance kline rows ending at or before `now`; none that open inside an outage (the page goes on after it, as Binance's does). */
export function klines(spec: SymbolSpec, seed: string, interval: number, opts: { startTime?: number; endTime?: number; limit: number; now: number; outages?: readonly Outage[] }) {
  const end = Math.min(opts.endTime ?? opts.now, opts.now);
  let first = opts.startTime !== undefined ? Math.ceil(opts.startTime / interval) * interval : Math.floor(end / interval) * interval - (opts.limit - 1) * interval;
  first = Math.max(first, 0);
  const rows: (string | number)[][] = [];
  for (let open = first; open <= end && rows.length < opts.limit; open += interval) {
    if (opts.outages?.some((o) => (!o.symbol || o.symbol === spec.id) && open >= o.from && open < o.to)) continue;
    const close = Math.min(open + interval - 1, opts.now);
    const { low, high } = rangeAt(spec, seed, open, close);
    const o = priceAt(spec, seed, open);
    const c = priceAt(spec, seed, close);
    const volume = new Decimal(spec.levelQty).mul(interval / 60_000).mul(1 + Math.abs(noise(seed, spec.id, open / 1000)));
    const quoteVolume = volume.mul(o.add(c).div(2));
    rows.push([open, o.toFixed(8), high.toFixed(8), low.toFixed(8), c.toFixed(8), volume.toFixed(8), open + interval - 1, quoteVolume.toFixed(8), 100, volume.div(2).toFixed(8), quoteVolume.div(2).toFixed(8), "0"]);
  }
  return rows;
}

/** A synthetic order book around the current price: `levels` levels each side, `levelQty` each. */
export function book(spec: SymbolSpec, seed: string, now: number, levels = 10) {
  const mid = priceAt(spec, seed, now);
  const tick = new Decimal(spec.tickSize);
  const bids: [Decimal, Decimal][] = [];
  const asks: [Decimal, Decimal][] = [];
  for (let i = 0; i < levels; i++) {
    const qty = new Decimal(spec.levelQty).mul(1 + i * 0.5);
    bids.push([mid.sub(tick.mul(1 + i * 2)), qty]);
    asks.push([mid.add(tick.mul(1 + i * 2)), qty]);
  }
  return { mid, bids, asks };
}
