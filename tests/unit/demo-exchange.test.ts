import { describe, expect, it } from "vitest";
import { isLoopbackAddress } from "@/lib/exchange/demo/server";
import { bySymbolId } from "@/lib/exchange/demo/markets";
import { klines, priceAt, rangeAt } from "@/lib/exchange/demo/price-path";

describe("demo exchange", () => {
  it("the admin API's address check accepts loopback only", () => {
    for (const ip of ["127.0.0.1", "::1", "::ffff:127.0.0.1", "127.1.2.3"]) expect(isLoopbackAddress(ip), ip).toBe(true);
    for (const ip of ["10.0.0.1", "192.168.1.2", "::ffff:10.1.1.1", "fe80::1", "", "127.0.0.1.evil"]) expect(isLoopbackAddress(ip), ip).toBe(false);
  });

  it("the price path is repeatable for a seed, different across seeds, and on tick", () => {
    const btc = bySymbolId.get("BTCUSDT")!;
    const t = Date.UTC(2030, 0, 1);
    expect(priceAt(btc, "s1", t).eq(priceAt(btc, "s1", t))).toBe(true);
    expect(priceAt(btc, "s1", t).eq(priceAt(btc, "s2", t))).toBe(false);
    expect(priceAt(btc, "s1", t).mod("0.01").isZero()).toBe(true);
  });

  it("klines are contiguous and consistent (open = previous close within a tick, high ≥ open/close ≥ low)", () => {
    const eth = bySymbolId.get("ETHUSDT")!;
    const now = Date.UTC(2030, 0, 1, 12);
    const rows = klines(eth, "seed", 60_000, { limit: 30, now });
    expect(rows).toHaveLength(30);
    for (let i = 0; i < rows.length; i++) {
      const [open, o, h, l, c] = rows[i]!.map(Number);
      expect(h).toBeGreaterThanOrEqual(Math.max(o!, c!));
      expect(l).toBeLessThanOrEqual(Math.min(o!, c!));
      if (i > 0) {
        expect(open! - Number(rows[i - 1]![0])).toBe(60_000);
        expect(Math.abs(o! - Number(rows[i - 1]![4]))).toBeLessThanOrEqual(0.05);
      }
    }
  });

  it("the price path does not change between versions: candles recorded from an earlier version", () => {
    // tests and users' cached candles rely on the demo's market being a fixed function of (seed, symbol, time)
    const demo = bySymbolId.get("DEMOUSDT")!;
    const t = Date.UTC(2030, 0, 1);
    const ohlc = (interval: number) => klines(demo, "s1", interval, { startTime: t, limit: 2, now: t + 86_400_000 }).map((r) => r.slice(1, 5));
    expect(ohlc(3_600_000)).toEqual([["1.12180000", "1.14780000", "1.10730000", "1.11340000"], ["1.11340000", "1.13550000", "1.05840000", "1.05980000"]]);
    expect(ohlc(60_000)).toEqual([["1.12180000", "1.12600000", "1.12000000", "1.12400000"], ["1.12400000", "1.12970000", "1.12390000", "1.12710000"]]);
    // between whole seconds (as the matching engine asks)
    const range = rangeAt(demo, "s1", t + 1234, t + 45_678);
    expect([range.low.toFixed(), range.high.toFixed(), priceAt(demo, "s1", t + 1234).toFixed()]).toEqual(["1.12", "1.1246", "1.1209"]);
  });
});
