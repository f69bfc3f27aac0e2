import { describe, expect, it } from "vitest";
import { dca } from "@/lib/strategies/dca";
import { paramFields, parseParams } from "@/lib/strategies/registry";

const ctx = (over: Partial<Parameters<typeof dca.decide>[0]> = {}) => ({
  params: { quoteAmount: "25", intervalMinutes: 60 },
  symbol: "BTC/USDT",
  now: 10 * 3_600_000,
  lastPrice: "60000",
  candles: [],
  position: "0",
  openOrders: [],
  balances: {},
  state: {},
  ...over,
});

describe("DCA strategy", () => {
  it("buys the quote amount at market when the interval has passed, and remembers when", () => {
    const r = dca.decide(ctx());
    expect(r.intents).toEqual([{ kind: "place", side: "buy", type: "market", quoteAmount: "25", reason: "DCA buy of 25" }]);
    expect(r.state).toEqual({ lastBuyAt: 10 * 3_600_000 });
  });

  it("waits for the interval and skips above maxPrice", () => {
    expect(dca.decide(ctx({ state: { lastBuyAt: 10 * 3_600_000 - 59 * 60_000 } })).intents).toEqual([]);
    expect(dca.decide(ctx({ params: { quoteAmount: "25", intervalMinutes: 60, maxPrice: "50000" } })).intents).toEqual([]);
  });

  it("its form comes from its schema", () => {
    expect(paramFields("dca")).toEqual([
      { name: "quoteAmount", type: "string", description: expect.stringContaining("quote currency"), default: "25", required: false },
      { name: "intervalMinutes", type: "number", description: "Minutes between buys", default: "60", required: false },
      { name: "maxPrice", type: "string", description: expect.stringContaining("above"), default: undefined, required: false },
    ]);
  });

  it("validates params with clear messages", () => {
    expect(parseParams("dca", { quoteAmount: "10", intervalMinutes: "15", maxPrice: "" })).toEqual({ ok: true, params: { quoteAmount: "10", intervalMinutes: 15 } });
    const bad = parseParams("dca", { quoteAmount: "-3", intervalMinutes: "0" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(["param.intervalMinutes", "param.quoteAmount"]);
  });
});
