import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkOrder, type OrderRequest, type RiskLimits, type RiskState } from "@/lib/bots/risk";
import { Money } from "@/lib/money";

const limits: RiskLimits = { allowedSymbols: ["BTC/USDT"], maxOrderNotional: "100", maxOpenOrders: 3, maxPosition: "0.01", maxDailyLoss: "50", killSwitch: false };
const state: RiskState = { position: new Money("0.002"), workingOrders: [], lastPrice: "60000", dailyPnl: new Money(0) };
const order: OrderRequest = { symbol: "BTC/USDT", side: "buy", type: "limit", amount: "0.001", price: "59000" };

describe("risk limits (SECURITY.md 24)", () => {
  it("an order within every limit passes", () => {
    expect(checkOrder(order, limits, state)).toEqual({ ok: true });
  });

  it("each limit refuses with a reason", () => {
    const refuse = (o: Partial<typeof order>, l: Partial<RiskLimits> = {}, s: Partial<RiskState> = {}) => checkOrder({ ...order, ...o }, { ...limits, ...l }, { ...state, ...s });
    expect(refuse({ symbol: "SHIB/USDT" })).toMatchObject({ ok: false, reason: expect.stringContaining("not an allowed symbol") });
    expect(refuse({ amount: "0.002" })).toMatchObject({ ok: false, reason: expect.stringContaining("more than the limit of 100 per order") });
    expect(refuse({ type: "market", price: null, amount: "0.00166" })).toMatchObject({ ok: false }); // 0.00166 × 60000 × 1.01 > 100
    expect(refuse({}, {}, { workingOrders: Array(3).fill({ side: "buy", amount: "0.0001", filled: "0" }) })).toMatchObject({ ok: false, reason: expect.stringContaining("limit is 3") });
    expect(refuse({}, { maxPosition: "0.0025" })).toMatchObject({ ok: false, reason: expect.stringContaining("position could reach") });
    expect(refuse({ side: "sell", amount: "0.0015" }, {}, { position: new Money("0.001") })).toMatchObject({ ok: false, reason: expect.stringContaining("more than the bot holds") });
    expect(refuse({}, {}, { dailyPnl: new Money("-50") })).toMatchObject({ ok: false, stopBot: true });
    expect(refuse({}, { killSwitch: true })).toMatchObject({ ok: false, reason: "the kill switch is on" });
    expect(refuse({ amount: "0" })).toMatchObject({ ok: false });
  });

  it("property: whatever is asked, an accepted order never breaks a limit", () => {
    const decimal = fc.integer({ min: 0, max: 10 ** 9 }).map((n) => new Money(n).div(10 ** 6).toFixed());
    fc.assert(
      fc.property(
        fc.record({ symbol: fc.constantFrom("BTC/USDT", "ETH/USDT", ""), side: fc.constantFrom("buy" as const, "sell" as const), type: fc.constantFrom("market" as const, "limit" as const), amount: decimal, price: fc.option(decimal, { nil: null }) }),
        fc.array(fc.record({ side: fc.constantFrom("buy", "sell"), amount: decimal, filled: fc.constant("0") }), { maxLength: 5 }),
        decimal,
        decimal,
        (req, working, position, last) => {
          const s: RiskState = { position: new Money(position), workingOrders: working, lastPrice: last === "0" ? "1" : last, dailyPnl: new Money(0) };
          const d = checkOrder(req, limits, s);
          if (!d.ok) return;
          const price = new Money(req.type === "limit" ? req.price! : s.lastPrice);
          expect(limits.allowedSymbols).toContain(req.symbol);
          expect(new Money(req.amount).mul(price).lte(limits.maxOrderNotional)).toBe(true);
          expect(working.length + 1).toBeLessThanOrEqual(limits.maxOpenOrders);
          const open = (side: string) => working.filter((w) => w.side === side).reduce((a, w) => a.add(w.amount), new Money(0));
          if (req.side === "buy") expect(s.position.add(open("buy")).add(req.amount).lte(limits.maxPosition!)).toBe(true);
          else expect(open("sell").add(req.amount).lte(s.position)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
