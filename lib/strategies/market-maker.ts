/**
 * Market maker: one limit buy and one limit sell at ±spread/2 around the mid
 * price, re-quoted when the mid moves more than a quarter of the spread. A
 * side that would take the inventory past its limit is not quoted: no buy
 * while the position is worth maxInventoryQuote or more, no sell without
 * enough position to sell (a quote's worth, or what a buy brought once its fee
 * and the amount step took their part: sellSize, ./market.ts).
 */
import { z } from "zod";
import { Money, str } from "../money";
import { positiveDecimal } from "../validation/common";
import { sellSize } from "./market";
import type { Intent, Strategy } from "./types";

export const marketMakerParams = z.object({
  spreadPct: positiveDecimal("Spread").describe("Distance between the buy and the sell, in % of the mid price").default("0.1"),
  orderQuote: positiveDecimal("Order size").describe("Size of each quote, in the quote currency").default("20"),
  maxInventoryQuote: positiveDecimal("Max inventory").describe("Stop quoting buys once the position is worth this much (quote currency)").default("200"),
});

export const marketMaker: Strategy<typeof marketMakerParams> = {
  id: "market-maker",
  version: 1,
  name: "Market maker",
  description: "Quotes a limit buy and a limit sell around the mid price; re-quotes when the mid moves; keeps the inventory within a limit.",
  params: marketMakerParams,
  orderSize: { param: "orderQuote", type: "limit" },
  decide(ctx) {
    const { spreadPct, orderQuote, maxInventoryQuote } = ctx.params;
    const mid = ctx.bid && ctx.ask ? new Money(ctx.bid).add(ctx.ask).div(2) : new Money(ctx.lastPrice);
    const spread = mid.mul(spreadPct).div(100);
    const half = spread.div(2);
    const lastMid = typeof ctx.state.quotedMid === "string" ? new Money(ctx.state.quotedMid) : null;
    const moved = lastMid === null || mid.sub(lastMid).abs().gt(spread.div(4));
    const resting = ctx.openOrders.filter((o) => o.type === "limit");
    const has = (side: "buy" | "sell") => resting.some((o) => o.side === side);

    const amount = new Money(orderQuote).div(mid);
    const position = new Money(ctx.position);
    const wantBuy = position.add(amount).mul(mid).lte(maxInventoryQuote);
    const ask = str(mid.add(half).toDecimalPlaces(8));
    // a filled buy is answered at once, even when its fee and the amount step left a little less than a whole quote
    const sells = sellSize(position, amount, ask, ctx.market);
    const wantSell = sells !== null;
    const intents: Intent[] = [];
    if (moved) for (const o of resting) intents.push({ kind: "cancel", orderId: o.id, reason: `re-quote: the mid moved to ${str(mid.toDecimalPlaces(8))}` });
    const quoting = moved ? [] : resting;
    const stillHas = (side: "buy" | "sell") => quoting.some((o) => o.side === side);
    if (wantBuy && !stillHas("buy")) intents.push({ kind: "place", side: "buy", type: "limit", price: str(mid.sub(half).toDecimalPlaces(8)), quoteAmount: orderQuote, reason: `quote the bid ${spreadPct}% spread` });
    if (wantSell && !stillHas("sell")) intents.push({ kind: "place", side: "sell", type: "limit", price: ask, ...(sells === "order" ? { quoteAmount: orderQuote } : { amount: sells.toFixed() }), reason: `quote the ask ${spreadPct}% spread` });
    // inventory limits: withdraw a quote that should no longer be there
    if (!moved && has("buy") && !wantBuy) for (const o of resting.filter((r) => r.side === "buy")) intents.push({ kind: "cancel", orderId: o.id, reason: "inventory limit reached: stop buying" });
    return { intents, state: { ...ctx.state, quotedMid: moved ? str(mid) : ctx.state.quotedMid } };
  },
};
