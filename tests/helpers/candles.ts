import type { Candle } from "@/lib/strategies/types";

const hour = 3_600_000;

/** A seeded random walk of hourly candles. */
export function walk(n: number, seed: number): Candle[] {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  let price = 100;
  const out: Candle[] = [];
  for (let i = 0; i < n; i++) {
    const open = price;
    price = Math.max(1, price * (1 + (rnd() - 0.5) * 0.04));
    const close = Math.round(price * 100) / 100;
    const high = Math.round(Math.max(open, close) * (1 + rnd() * 0.01) * 100) / 100;
    const low = Math.round(Math.min(open, close) * (1 - rnd() * 0.01) * 100) / 100;
    out.push({ time: i * hour, open: String(Math.round(open * 100) / 100), high: String(high), low: String(low), close: String(close), volume: "1" });
    price = close;
  }
  return out;
}
