/** Dollar-cost averaging: buy a fixed quote amount every N minutes, optionally only below a price. */
import { z } from "zod";
import { Money } from "../money";
import { positiveDecimal, wholeNumber } from "../validation/common";
import type { Strategy } from "./types";

export const dcaParams = z.object({
  quoteAmount: positiveDecimal("Quote amount").describe("Amount of the quote currency spent per buy (e.g. 25 for 25 USDT)").default("25"),
  intervalMinutes: wholeNumber("Interval", 1, 10_080).describe("Minutes between buys").default(60),
  maxPrice: positiveDecimal("Max price").optional().describe("Skip buys while the price is above this (optional)"),
});

export const dca: Strategy<typeof dcaParams> = {
  id: "dca",
  version: 1,
  name: "Dollar-cost averaging (DCA)",
  description: "Buys a fixed amount of the quote currency at market every interval; skips while the price is above the optional limit.",
  params: dcaParams,
  orderSize: { param: "quoteAmount", type: "market" },
  decide(ctx) {
    const last = Number(ctx.state.lastBuyAt ?? 0);
    if (ctx.now - last < ctx.params.intervalMinutes * 60_000) return { intents: [] };
    if (ctx.params.maxPrice && new Money(ctx.lastPrice).gt(ctx.params.maxPrice)) return { intents: [] };
    return {
      intents: [{ kind: "place", side: "buy", type: "market", quoteAmount: ctx.params.quoteAmount, reason: `DCA buy of ${ctx.params.quoteAmount}` }],
      state: { ...ctx.state, lastBuyAt: ctx.now },
    };
  },
};
