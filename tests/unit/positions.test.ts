import { describe, expect, it } from "vitest";
import { pnlSince, summarize } from "@/lib/bots/positions";

const t = (s: string) => new Date(`2030-01-01T${s}Z`);

describe("position and PnL from fills (decimal, average cost, fees in the basis)", () => {
  it("a round trip with the demo exchange's fees: 0.1 % of the base on buys, of the quote on sells", () => {
    // buy 1 at 100: receive 0.999 base, pay 100 → cost 100
    // buy 1 at 110: receive 0.999, pay 110 → position 1.998, cost 210, average 105.105105…
    // sell 1 at 120: proceeds 120 − 0.12 = 119.88; basis 105.105105… → realized 14.774894…
    const fills = [
      { side: "buy", price: "100", amount: "1", fee: "0.001", feeCurrency: "BTC", executedAt: t("00:01:00") },
      { side: "buy", price: "110", amount: "1", fee: "0.001", feeCurrency: "BTC", executedAt: t("00:02:00") },
      { side: "sell", price: "120", amount: "1", fee: "0.12", feeCurrency: "USDT", executedAt: t("00:03:00") },
    ];
    const s = summarize(fills, "BTC", "USDT", "130");
    expect(s.position).toBe("0.998");
    expect(s.averageEntry).toBe("105.10510511");
    expect(s.realizedPnl).toBe("14.77489489");
    // unrealized: 0.998 × 130 − (210 − 105.105105…) = 129.74 − 104.894894… = 24.845105…
    expect(s.unrealizedPnl).toBe("24.84510511");
    expect(s.totalPnl).toBe("39.62");
    // fees in quote: 0.001·100 + 0.001·110 + 0.12 = 0.33
    expect(s.fees).toBe("0.33");
  });

  it("no fills: flat, nothing realized", () => {
    expect(summarize([], "BTC", "USDT", "1")).toMatchObject({ position: "0", averageEntry: null, realizedPnl: "0", unrealizedPnl: "0", fees: "0" });
  });

  it("PnL since 00:00 marks the opening position at the day's open price", () => {
    const fills = [
      { side: "buy", price: "100", amount: "2", fee: "0", feeCurrency: "USDT", executedAt: new Date("2029-12-31T12:00:00Z") },
      { side: "sell", price: "90", amount: "1", fee: "0", feeCurrency: "USDT", executedAt: t("01:00:00") },
    ];
    // start: 2 at open 95 = 190; today: +90 cash; now: 1 × 80 = 80 → 90 + 80 − 190 = −20
    expect(pnlSince(fills, t("00:00:00"), "95", "80", "BTC", "USDT").toFixed()).toBe("-20");
  });
});
