import { describe, expect, it } from "vitest";
import { isLoopbackAddress } from "@/lib/exchange/demo/server";
import { bySymbolId } from "@/lib/exchange/demo/markets";
import { klines, priceAt } from "@/lib/exchange/demo/price-path";

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
});
