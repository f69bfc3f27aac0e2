import { describe, expect, it } from "vitest";
import { roundPrice } from "@/lib/bots/precision";
import { checkOrder } from "@/lib/bots/risk";
import { Money, str, zero } from "@/lib/money";
import { dca } from "@/lib/strategies/dca";
import { grid, gridLevels } from "@/lib/strategies/grid";
import { noMarketRules } from "@/lib/strategies/market";
import { marketMaker } from "@/lib/strategies/market-maker";
import { paramFields, paramsJsonSchema, parseParams, strategies } from "@/lib/strategies/registry";
import { crossAt, smaCross } from "@/lib/strategies/sma-cross";
import type { Candle, OpenOrderView, StrategyContext } from "@/lib/strategies/types";

function ctx<P>(params: P, over: Partial<StrategyContext<P>> = {}): StrategyContext<P> {
  return { params, symbol: "BTC/USDT", base: "BTC", quote: "USDT", now: 10 * 3_600_000, lastPrice: "60000", bid: null, ask: null, candles: [], position: "0", openOrders: [], balances: {}, limits: { maxOpenOrders: 10, maxOrderNotional: "1000" }, state: {}, market: noMarketRules, ...over };
}

describe("DCA", () => {
  const params = { quoteAmount: "25", intervalMinutes: 60 };
  it("buys the quote amount at market when the interval has passed, and remembers when", () => {
    const r = dca.decide(ctx(params));
    expect(r.intents).toEqual([{ kind: "place", side: "buy", type: "market", quoteAmount: "25", reason: "DCA buy of 25" }]);
    expect(r.state).toEqual({ lastBuyAt: 10 * 3_600_000 });
  });
  it("waits for the interval and skips above maxPrice", () => {
    expect(dca.decide(ctx(params, { state: { lastBuyAt: 10 * 3_600_000 - 59 * 60_000 } })).intents).toEqual([]);
    expect(dca.decide(ctx({ ...params, maxPrice: "50000" })).intents).toEqual([]);
  });
});

describe("market maker", () => {
  const params = { spreadPct: "0.1", orderQuote: "20", maxInventoryQuote: "200" };
  it("quotes a buy and a sell at ±spread/2 around the mid; only a buy while flat", () => {
    const flat = marketMaker.decide(ctx(params, { bid: "99.9", ask: "100.1", lastPrice: "100" }));
    expect(flat.intents).toEqual([{ kind: "place", side: "buy", type: "limit", price: "99.95", quoteAmount: "20", reason: expect.any(String) }]);
    const holding = marketMaker.decide(ctx(params, { bid: "99.9", ask: "100.1", position: "0.5" }));
    expect(holding.intents.map((i) => i.kind === "place" && [i.side, i.price])).toEqual([["buy", "99.95"], ["sell", "100.05"]]);
  });
  it("answers a filled buy at once, with what it brought when its fee and the amount step left less than a whole quote", () => {
    const btc = { amountStep: "0.00001", priceTick: "0.01", minAmount: "0.00001", minNotional: "5" };
    // 20 USDT bought at 57,971: 0.00034 BTC rounded down, 0.00033966 after the fee; a whole quote at the mid 58,000 is 0.00034483
    const sells = (position: string) => marketMaker.decide(ctx(params, { bid: "57990", ask: "58010", position, market: btc })).intents.filter((i) => i.kind === "place" && i.side === "sell");
    expect(sells("0.00033966")).toEqual([{ kind: "place", side: "sell", type: "limit", price: "58029", amount: "0.00033", reason: expect.any(String) }]);
    expect(sells("0.0004")).toEqual([{ kind: "place", side: "sell", type: "limit", price: "58029", quoteAmount: "20", reason: expect.any(String) }]);
    expect(sells("0.0001")).toEqual([]); // under half a quote
  });
  it("re-quotes only when the mid moves more than a quarter of the spread", () => {
    const resting: OpenOrderView[] = [{ id: "b", side: "buy", type: "limit", price: "99.95", amount: "0.2", filled: "0" }, { id: "s", side: "sell", type: "limit", price: "100.05", amount: "0.2", filled: "0" }];
    const base = { position: "0.5", openOrders: resting, state: { quotedMid: "100" } };
    expect(marketMaker.decide(ctx(params, { ...base, bid: "99.92", ask: "100.12" })).intents).toEqual([]); // moved 0.02 ≤ 0.025
    const moved = marketMaker.decide(ctx(params, { ...base, bid: "99.93", ask: "100.13" })).intents; // moved 0.03
    expect(moved.filter((i) => i.kind === "cancel").map((i) => i.kind === "cancel" && i.orderId)).toEqual(["b", "s"]);
    expect(moved.filter((i) => i.kind === "place")).toHaveLength(2);
  });
  it("stops quoting buys at the inventory limit", () => {
    const r = marketMaker.decide(ctx(params, { bid: "99.9", ask: "100.1", position: "1.9" })); // (1.9 + 0.2) × 100 = 210 > 200
    expect(r.intents.map((i) => i.kind === "place" && i.side)).toEqual(["sell"]);
  });
});

describe("grid", () => {
  const params = { lower: "90", upper: "110", levels: 5, orderQuote: "20" }; // 90, 95, 100, 105, 110
  it("levels are evenly spaced", () => {
    expect(gridLevels("90", "110", 5).map((l) => l.toFixed())).toEqual(["90", "95", "100", "105", "110"]);
  });
  it("rests buys below the price, sells above as far as the position covers them, none at the nearest level", () => {
    const r = grid.decide(ctx(params, { lastPrice: "101", position: "0.2" }));
    const places = r.intents.map((i) => i.kind === "place" && `${i.side}@${i.price}`);
    expect(places).toContain("buy@95");
    expect(places).toContain("buy@90");
    expect(places).toContain("sell@105"); // 20/105 = 0.19 ≤ 0.2
    expect(places).not.toContain("sell@110"); // the position is spent
    expect(places.some((p) => p && p.endsWith("@100"))).toBe(false);
  });
  it("keeps what rests, respects the open-order limit, nearest first; nothing outside the range", () => {
    const resting: OpenOrderView[] = [{ id: "x", side: "buy", type: "limit", price: "95", amount: "0.2", filled: "0" }];
    const r = grid.decide(ctx(params, { lastPrice: "101", openOrders: resting, limits: { maxOpenOrders: 2, maxOrderNotional: "1000" } }));
    expect(r.intents.map((i) => i.kind === "place" && `${i.side}@${i.price}`)).toEqual(["buy@90"]);
    expect(grid.decide(ctx(params, { lastPrice: "120" })).intents).toEqual([]);
  });
  it("at a price halfway between levels the lower stays empty, equally near levels go lower first, and a resting price written differently still holds its level", () => {
    const at = (over: Partial<StrategyContext<typeof params>>) => grid.decide(ctx(params, { lastPrice: "102.5", position: "1", ...over })).intents.map((i) => i.kind === "place" && `${i.side}@${i.price}`);
    // distances: 100 and 105 are 2.5 away (100 stays empty), 95 and 110 are 7.5, 90 is 12.5
    expect(at({})).toEqual(["sell@105", "buy@95", "sell@110", "buy@90"]);
    expect(at({ limits: { maxOpenOrders: 2, maxOrderNotional: "1000" } })).toEqual(["sell@105", "buy@95"]);
    const resting: OpenOrderView[] = [{ id: "x", side: "buy", type: "limit", price: "95.00", amount: "0.2", filled: "0" }];
    expect(at({ openOrders: resting })).toEqual(["sell@105", "sell@110", "buy@90"]);
  });
  it("an order resting at its level rounded to the market's tick holds that level: no second order there (it placed one at every tick)", () => {
    const sevenths = { lower: "90", upper: "110", levels: 7, orderQuote: "20" }; // 90, 93.33333333, 96.66666667, 100, …
    const resting: OpenOrderView[] = [
      { id: "b", side: "buy", type: "limit", price: "93.33", amount: "0.2", filled: "0" }, // 93.33333333, the tick 0.01, rounded down
      { id: "s", side: "sell", type: "limit", price: "103.34", amount: "0.2", filled: "0" }, // 103.33333333 rounded up
      { id: "far", side: "buy", type: "limit", price: "50", amount: "0.2", filled: "0" }, // near no level: holds none
    ];
    const places = grid.decide(ctx(sevenths, { lastPrice: "100.1", position: "1", openOrders: resting, limits: { maxOpenOrders: 20, maxOrderNotional: "1000" } })).intents.map((i) => i.kind === "place" && `${i.side}@${i.price}`);
    expect(places).toEqual(["buy@96.66666667", "sell@106.66666667", "sell@110", "buy@90"]);
  });
  it("knowing the market's tick, an order holds every level its rounded price stands for: one order per price, never a second, whatever the spacing", () => {
    const tick = "0.0001";
    const rules = { amountStep: null, priceTick: new Money(tick), minAmount: null, minCost: null };
    // 1.2 ticks apart: 1.00048 rests as a buy at 1.0004, nearer the level 1.00036 (it held that one and was placed again at every tick);
    // 0.5 tick apart: pairs of levels round to one price
    for (const [upper, levels, prices] of [
      ["1.0006", 6, ["1.0004", "1.0003", "1.0002", "1.0001", "1"]],
      ["1.0003", 7, ["1.0002", "1.0001", "1"]],
    ] as const) {
      const p = { lower: "1", upper, levels, orderQuote: "10" };
      const openOrders: OpenOrderView[] = [];
      for (let tickNo = 0; tickNo < 3; tickNo++) {
        const r = grid.decide(ctx(p, { lastPrice: upper, openOrders, market: { ...noMarketRules, priceTick: tick }, limits: { maxOpenOrders: 50, maxOrderNotional: "1000" } }));
        for (const i of r.intents) if (i.kind === "place") openOrders.push({ id: `o${openOrders.length}`, side: i.side, type: "limit", price: roundPrice(new Money(i.price!), i.side, rules).toFixed(), amount: "1", filled: "0" });
      }
      expect(openOrders.map((o) => o.price)).toEqual(prices);
    }
  });
  it("answers a buy whose fee and amount rounding left less than a whole sell: it sells what the position holds, if at least half an order the market takes", () => {
    const btc = { amountStep: "0.00001", priceTick: "0.01", minAmount: "0.00001", minNotional: "5" };
    const levels = { lower: "57500", upper: "59000", levels: 4, orderQuote: "20" }; // 57,500 58,000 58,500 59,000
    const sells = (position: string, over: Partial<typeof levels> = {}) => grid.decide(ctx({ ...levels, ...over }, { lastPrice: "58200", position, market: btc })).intents.filter((i) => i.kind === "place" && i.side === "sell");
    // 20 USDT bought at 58,000: 0.00034482… rounded down to 0.00034, 0.00033966 after the 0.1 % fee; a whole sell at 58,500 is 0.00034188…
    expect(sells("0.00033966")).toEqual([{ kind: "place", side: "sell", type: "limit", price: "58500", amount: "0.00033", reason: "grid level 58500" }]);
    // covered in full: a sell of the order size, as always (the order path converts it at the price)
    expect(sells("0.00035")).toEqual([{ kind: "place", side: "sell", type: "limit", price: "58500", quoteAmount: "20", reason: "grid level 58500" }]);
    expect(sells("0.00016")).toEqual([]); // under half an order: waits for the next buy
    expect(sells("0.00008", { orderQuote: "8" })).toEqual([]); // half an order of 8, but 4.68 USDT: under the market's minimum of 5
    // DEMO/USDT, step 1: 19 bought at 1.0166 for 20 USDT, 18.981 after the fee; the sell at 1.0333 would ask 19.35
    const demo = { amountStep: "1", priceTick: "0.0001", minAmount: "1", minNotional: "1" };
    const r = grid.decide(ctx({ lower: "1", upper: "1.05", levels: 4, orderQuote: "20" }, { lastPrice: "1.0170", position: "18.981", market: demo }));
    expect(r.intents.filter((i) => i.kind === "place" && i.side === "sell").map((i) => i.kind === "place" && [i.price, i.amount])).toEqual([["1.03333333", "18"]]);
  });
  it("refuses an upper price below the lower one", () => {
    expect(parseParams("grid", { lower: "110", upper: "90" }).ok).toBe(false);
  });
  it("places what the plain rule places (every level's distance, a stable sort), over random grids, prices, resting orders and limits", () => {
    // the rule as the header states it, written the simple way: grid walks out from the price instead
    const reference = (p: typeof params, c: StrategyContext<typeof params>): string[] => {
      const price = new Money(c.lastPrice);
      if (price.lt(p.lower) || price.gt(p.upper)) return [];
      const levels = gridLevels(p.lower, p.upper, p.levels);
      const distance = levels.map((l) => l.sub(price).abs());
      const nearest = distance.reduce((best, d, k) => (d.lt(distance[best]!) ? k : best), 0);
      const resting = c.openOrders.filter((o) => o.type === "limit" && o.price !== null);
      // each resting order holds the level nearest its price (the lower of two equally near), within half a spacing
      const reach = new Money(p.upper).sub(p.lower).div(p.levels - 1).div(2);
      const heldLevels = resting.map((o) => {
        const at = new Money(o.price!);
        const k = levels.reduce((best, l, i) => (l.sub(at).abs().lt(levels[best]!.sub(at).abs()) ? i : best), 0);
        return levels[k]!.sub(at).abs().lte(reach) ? levels[k]! : null;
      });
      let sellable = resting.filter((o) => o.side === "sell").reduce((m, o) => m.sub(new Money(o.amount).sub(o.filled)), new Money(c.position));
      let room = c.limits.maxOpenOrders - c.openOrders.length;
      const out: string[] = [];
      const order = levels.map((_, k) => k).filter((k) => !levels[k]!.eq(levels[nearest]!)).sort((a, b) => distance[a]!.cmp(distance[b]!));
      for (const k of order) {
        if (room <= 0) break;
        const level = levels[k]!;
        if (heldLevels.some((h) => h?.eq(level))) continue;
        const side = level.lt(price) ? "buy" : "sell";
        let size = "";
        if (side === "sell") {
          const amount = new Money(p.orderQuote).div(level);
          if (sellable.lt(amount)) {
            // what the position holds, when at least half an order (no market rules: no step, no minimum)
            if (sellable.lte(0) || sellable.lt(amount.div(2))) continue;
            size = ` ${sellable.toFixed()}`;
            sellable = zero;
          } else sellable = sellable.sub(amount);
        }
        out.push(`${side}@${level.toFixed()}${size}`);
        heldLevels.push(level); // an equal level (rounded to 8 decimals alike) is held by this order
        room--;
      }
      return out;
    };
    let seed = 5;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 400; n++) {
      const lower = (50 + rnd() * 100).toFixed(2);
      // some ranges so narrow that levels rounded to 8 decimals repeat
      const width = n % 10 === 0 ? "0.00000003" : (rnd() * 60 + 0.01).toFixed(2);
      const p = { lower, upper: new Money(lower).add(width).toFixed(), levels: 2 + Math.floor(rnd() * 30), orderQuote: String(5 + Math.floor(rnd() * 50)) };
      const levels = gridLevels(p.lower, p.upper, p.levels);
      // prices on levels, halfway between them, anywhere, and outside the range
      const pick = levels[Math.floor(rnd() * levels.length)]!;
      const price = [pick, pick.add(new Money(width).div(2 * (p.levels - 1))), new Money(lower).add(new Money(width).mul(rnd().toFixed(6))), new Money(lower).sub(1)][n % 4]!.toDecimalPlaces(10);
      const openOrders: OpenOrderView[] = levels.filter(() => rnd() < 0.3).map((l, i) => ({ id: `o${i}`, side: rnd() < 0.5 ? "buy" : "sell", type: "limit", price: [l.toFixed(), l.toFixed(10), l.toDecimalPlaces(2, Money.ROUND_DOWN).toFixed(), l.toDecimalPlaces(2, Money.ROUND_UP).toFixed()][Math.floor(rnd() * 4)]!, amount: "0.1", filled: rnd() < 0.3 ? "0.05" : "0" }));
      const c = ctx(p, { lastPrice: price.toFixed(), position: (rnd() * 2).toFixed(3), openOrders, limits: { maxOpenOrders: openOrders.length + Math.floor(rnd() * 12), maxOrderNotional: "1000" } });
      const places = grid.decide(c).intents.map((i) => i.kind === "place" && `${i.side}@${i.price}${i.amount ? ` ${i.amount}` : ""}`);
      expect(places, JSON.stringify({ p, price: price.toFixed(), openOrders: openOrders.length })).toEqual(reference(p, c));
    }
  });
});

describe("SMA cross", () => {
  const candles = (closes: number[]): Candle[] => closes.map((c, i) => ({ time: i * 3_600_000, open: String(c), high: String(c), low: String(c), close: String(c), volume: "1" }));
  const params = { fast: 2, slow: 3, timeframe: "1h" as const, quoteFraction: "0.5" };
  it("finds crosses by the rules: up when fast ≤ slow at i−1 and fast > slow at i", () => {
    const closes = [10, 10, 10, 13, 9, 6].map((c) => new Money(c));
    // i=3: fast(2)=11.5, slow(3)=11 vs i=2: fast 10 ≤ slow 10 → up
    expect(crossAt(closes, 3, 2, 3)).toBe("up");
    // i=4: fast=11, slow=10.667 (still above) → none; i=5: fast=7.5 < slow=9.333, at i=4 fast ≥ slow → down
    expect(crossAt(closes, 4, 2, 3)).toBeNull();
    expect(crossAt(closes, 5, 2, 3)).toBe("down");
    expect(crossAt(closes, 1, 2, 3)).toBeNull(); // the slow average does not exist yet
  });
  it("buys a fraction of the free quote on a cross up while flat, sells everything on a cross down, once per candle", () => {
    const up = smaCross.decide(ctx(params, { candles: candles([10, 10, 10, 13]), balances: { USDT: "1000" } }));
    expect(up.intents).toEqual([{ kind: "place", side: "buy", type: "market", quoteAmount: "500", reason: expect.any(String) }]);
    expect(smaCross.decide(ctx(params, { candles: candles([10, 10, 10, 13]), balances: { USDT: "1000" }, state: up.state })).intents).toEqual([]);
    const down = smaCross.decide(ctx(params, { candles: candles([10, 10, 10, 13, 9, 6]), position: "0.7" }));
    expect(down.intents).toEqual([{ kind: "place", side: "sell", type: "market", amount: "0.7", reason: expect.any(String) }]);
    expect(smaCross.decide(ctx(params, { candles: candles([10, 10, 10, 13]), position: "0.7", balances: { USDT: "1000" } })).intents).toEqual([]); // holding: no second buy
  });
  it("counts dust the market will not take as flat: sells what rounds to the step, buys again over a remainder", () => {
    const market = { amountStep: "0.01", priceTick: null, minAmount: null, minNotional: "5" };
    const down = smaCross.decide(ctx(params, { candles: candles([10, 10, 10, 13, 9, 6]), position: "0.70999", market }));
    expect(down.intents).toEqual([{ kind: "place", side: "sell", type: "market", amount: "0.7", reason: expect.any(String) }]);
    // 0.00999 is under the step; 0.5 is a step multiple but worth 6.5 × 0.5 = 3.25 < 5: neither can be sold
    for (const position of ["0.00999", "0.5"]) {
      const up = smaCross.decide(ctx(params, { candles: candles([10, 10, 10, 13]), lastPrice: "6.5", position, balances: { USDT: "1000" }, market }));
      expect(up.intents).toEqual([{ kind: "place", side: "buy", type: "market", quoteAmount: "500", reason: expect.any(String) }]);
    }
  });
  it("buys no more than the max order notional lets a market buy name: the largest buy the risk limits pass", () => {
    const limits = { maxOpenOrders: 10, maxOrderNotional: "100" };
    const all = { ...params, quoteFraction: "1" };
    // the order path converts the quote at the ask; the limit values the amount at the last price + 1 %
    const passes = (quote: Money, last: string, ask: string | null) =>
      checkOrder(
        { symbol: "BTC/USDT", side: "buy", type: "market", amount: str(quote.div(ask ?? last)), price: null },
        { allowedSymbols: ["BTC/USDT"], maxOrderNotional: "100", maxOpenOrders: 10, maxPosition: null, maxDailyLoss: "50", killSwitch: false },
        { position: zero, workingOrders: [], lastPrice: last, dailyPnl: zero },
      ).ok;
    for (const [last, ask, expected] of [
      ["13", "13", "99.00990099"], // 100 / 1.01
      ["13", "12.935", "98.51485148"], // the ask 0.5 % under the last price: 100 × 12.935/13 / 1.01
      ["13", "13.5", "99.00990099"], // an ask above the last price buys less than the limit values
      ["13", null, "99.00990099"],
    ] as const) {
      const up = smaCross.decide(ctx(all, { candles: candles([10, 10, 10, 13]), lastPrice: last, ask, balances: { USDT: "10000" }, limits }));
      expect(up.intents).toEqual([{ kind: "place", side: "buy", type: "market", quoteAmount: expected, reason: expect.any(String) }]);
      expect(passes(new Money(expected), last, ask)).toBe(true);
      expect(passes(new Money(expected).add("0.01"), last, ask)).toBe(ask === "13.5"); // one cent more is refused (the ask above the last price has room)
    }
    // a share under the limit is bought whole
    const small = smaCross.decide(ctx(all, { candles: candles([10, 10, 10, 13]), lastPrice: "13", balances: { USDT: "60" }, limits }));
    expect(small.intents).toMatchObject([{ quoteAmount: "60" }]);
  });
  it("asks for the candles of its timeframe", () => {
    expect(smaCross.marketData!({ fast: 10, slow: 30, timeframe: "1h", quoteFraction: "1" })).toEqual({ timeframe: "1h", candles: 31 });
  });
});

describe("every strategy", () => {
  it("has a form generated from its schema and a JSON Schema", () => {
    expect(Object.keys(strategies).sort()).toEqual(["dca", "grid", "market-maker", "sma-cross"]);
    expect(paramFields("dca")).toEqual([
      { name: "quoteAmount", type: "string", description: expect.stringContaining("quote currency"), default: "25", required: false },
      { name: "intervalMinutes", type: "number", description: "Minutes between buys", default: "60", required: false },
      { name: "maxPrice", type: "string", description: expect.stringContaining("above"), default: undefined, required: false },
    ]);
    expect(paramFields("sma-cross").find((f) => f.name === "timeframe")).toMatchObject({ type: "choice", default: "1h", options: expect.arrayContaining(["1m", "1h", "1d"]) });
    expect(paramFields("grid").filter((f) => f.required).map((f) => f.name)).toEqual(["lower", "upper"]);
    for (const id of Object.keys(strategies)) expect(paramsJsonSchema(id)).toMatchObject({ type: "object" });
  });
  it("validates params with clear messages", () => {
    expect(parseParams("dca", { quoteAmount: "10", intervalMinutes: "15", maxPrice: "" })).toEqual({ ok: true, params: { quoteAmount: "10", intervalMinutes: 15 } });
    const bad = parseParams("dca", { quoteAmount: "-3", intervalMinutes: "0" });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.errors).sort()).toEqual(["param.intervalMinutes", "param.quoteAmount"]);
    expect(parseParams("sma-cross", {})).toEqual({ ok: true, params: { fast: 10, slow: 30, timeframe: "1h", quoteFraction: "1" } });
    expect(parseParams("market-maker", {})).toEqual({ ok: true, params: { spreadPct: "0.1", orderQuote: "20", maxInventoryQuote: "200" } });
  });
});
