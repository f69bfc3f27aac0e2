import { describe, expect, it } from "vitest";
import { orderSizeErrors, type OrderSizeLimits } from "@/lib/strategies/order-size";
import { parseParams, strategies } from "@/lib/strategies/registry";

const market: OrderSizeLimits["market"] = { symbol: "BTC/USDT", exchange: "demo", base: "BTC", quote: "USDT", minNotional: "5", lastPrice: "58000" };
const errors = (strategy: string, raw: Record<string, unknown>, maxOrderNotional: string, m: OrderSizeLimits["market"] = market, maxPosition?: string) => {
  const parsed = parseParams(strategy, raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return orderSizeErrors(strategies[strategy]!, parsed.params, { maxOrderNotional, maxPosition, market: m });
};

describe("order sizes every order of which would be refused", () => {
  it("a DCA buy is a market order: it counts at the last price + 1 % against the max order notional", () => {
    expect(errors("dca", { quoteAmount: "99" }, "100")).toBeNull(); // 99.99
    const e = errors("dca", { quoteAmount: "100" }, "100")!;
    expect(e["param.quoteAmount"]).toEqual(["Each buy of 100 counts as up to 101 (a market order is valued at the last price + 1 %), which is more than the max order notional of 100: the risk limits would refuse every one. Lower it, or raise the limit to at least 101."]);
    expect(e.maxOrderNotional).toEqual(["At least 101 for buys of 100."]);
  });
  it("grid and market-maker orders are limit orders: worth their size", () => {
    expect(errors("grid", { lower: "90", upper: "110", orderQuote: "100" }, "100")).toBeNull();
    expect(errors("grid", { lower: "90", upper: "110", orderQuote: "100.01" }, "100")).toEqual({
      "param.orderQuote": ["Each order of 100.01 is more than the max order notional of 100: the risk limits would refuse every one. Lower it, or raise the limit to at least 100.01."],
      maxOrderNotional: ["At least 100.01 for orders of 100.01."],
    });
    expect(errors("market-maker", { orderQuote: "250" }, "200")?.["param.orderQuote"]?.[0]).toMatch(/^Each order of 250 is more than the max order notional of 200/);
  });
  it("an order under the market's minimum is refused; unknown minimum, nothing to check", () => {
    expect(errors("dca", { quoteAmount: "4.99" }, "100")).toEqual({ "param.quoteAmount": ["Each buy of 4.99 USDT is under BTC/USDT's minimum order of 5 USDT on demo: the exchange would refuse every one."] });
    expect(errors("market-maker", { orderQuote: "5" }, "100")).toBeNull();
    expect(errors("dca", { quoteAmount: "4.99" }, "100", null)).toBeNull();
    expect(errors("dca", { quoteAmount: "4.99" }, "100", { ...market!, minNotional: null })).toBeNull();
  });
  it("one buy over the max position at the price now is refused (the risk limits count it into the position); no price, nothing to check", () => {
    // 25 USDT at 58,000 is 0.000431 BTC
    expect(errors("dca", { quoteAmount: "25" }, "100", market, "0.0005")).toBeNull();
    expect(errors("dca", { quoteAmount: "25" }, "100", market, "0.0004")).toEqual({
      "param.quoteAmount": ["One buy of 25 USDT buys about 0.000431 BTC at BTC/USDT's price now (58000), more than the max position of 0.0004 BTC: the risk limits would refuse every buy. Lower it, or raise the max position."],
      maxPosition: ["At least 0.000431 BTC for one buy of 25 USDT at the price now."],
    });
    expect(errors("grid", { lower: "50000", upper: "60000", orderQuote: "20" }, "100", market, "0.0003")?.maxPosition).toEqual(["At least 0.0003448 BTC for one order of 20 USDT at the price now."]);
    expect(errors("dca", { quoteAmount: "25" }, "100", { ...market!, lastPrice: null }, "0.0004")).toBeNull();
  });
  it("a strategy that sizes its orders from the balance has no fixed size to check", () => {
    expect(errors("sma-cross", { quoteFraction: "1" }, "1")).toBeNull();
  });
});
