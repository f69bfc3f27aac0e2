/** Candle lengths Keyward knows (charts, market data, the backtester, the candle cache), in ms. */
export const timeframeMs = { "1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000, "1h": 3_600_000, "2h": 7_200_000, "4h": 14_400_000, "1d": 86_400_000 } as const;
export type Timeframe = keyof typeof timeframeMs;
export const timeframes = Object.keys(timeframeMs) as Timeframe[];

/** The length of a timeframe given as any string, or undefined when it is not one. */
export function timeframeLength(tf: string): number | undefined {
  return (timeframeMs as Record<string, number>)[tf];
}

/** The open time of the candle still forming at `now`: every candle that opens before it has closed. */
export function closedUntil(tfMs: number, now: number): number {
  return Math.floor(now / tfMs) * tfMs;
}
