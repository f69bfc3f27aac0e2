/**
 * Grid: `levels` prices evenly spaced from `lower` to `upper`. Below the price
 * the grid rests buys, above it sells (as far as the bot's position covers
 * them), each worth `orderQuote`; the level nearest the price stays empty, so a
 * filled buy is sold one level higher and a filled sell bought back one level
 * lower. The levels nearest the price come first when the open-order limit
 * cannot hold them all. Outside [lower, upper] it rests nothing new.
 */
import { z } from "zod";
import { Money, str } from "../money";
import { positiveDecimal, wholeNumber } from "../validation/common";
import type { Intent, Strategy } from "./types";

export const gridParams = z
  .object({
    lower: positiveDecimal("Lower price").describe("Lowest grid price"),
    upper: positiveDecimal("Upper price").describe("Highest grid price"),
    levels: wholeNumber("Levels", 2, 200).describe("Number of grid prices from lower to upper").default(10),
    orderQuote: positiveDecimal("Order size").describe("Size of each grid order, in the quote currency").default("20"),
  })
  .refine((p) => new Money(p.upper).gt(p.lower), { path: ["upper"], message: "The upper price must be above the lower one." });

export function gridLevels(lower: string, upper: string, levels: number): Money[] {
  const step = new Money(upper).sub(lower).div(levels - 1);
  return Array.from({ length: levels }, (_, i) => new Money(lower).add(step.mul(i)).toDecimalPlaces(8));
}

/** The levels of recent parameter sets (a backtest asks at every close); Money values are immutable, so they can be shared. */
const levelCache = new Map<string, readonly Money[]>();
function cachedLevels(lower: string, upper: string, levels: number): readonly Money[] {
  const key = `${lower}|${upper}|${levels}`;
  let found = levelCache.get(key);
  if (!found) {
    if (levelCache.size >= 64) levelCache.clear();
    levelCache.set(key, (found = gridLevels(lower, upper, levels)));
  }
  return found;
}

export const grid: Strategy<typeof gridParams> = {
  id: "grid",
  version: 1,
  name: "Grid",
  description: "Rests buys below the price and sells above it on evenly spaced levels; each fill is answered one level away.",
  params: gridParams,
  decide(ctx) {
    const { lower, upper, levels, orderQuote } = ctx.params;
    const price = new Money(ctx.lastPrice);
    if (price.lt(lower) || price.gt(upper)) return { intents: [], state: ctx.state };
    const grid = cachedLevels(lower, upper, levels);
    const distance = grid.map((l) => l.sub(price).abs());
    // the first level nearest the price stays empty (and any level equal to it)
    let nearest = 0;
    for (let k = 1; k < grid.length; k++) if (distance[k]!.lt(distance[nearest]!)) nearest = k;
    const resting = ctx.openOrders.filter((o) => o.type === "limit" && o.price !== null);
    // equal decimals have the same plain notation
    const restingAt = new Set(resting.map((o) => str(o.price!)));

    // nearest levels first (a stable sort: equally near keep their order), so the open-order limit keeps the ones that matter
    const candidates = grid
      .map((_, k) => k)
      .filter((k) => !grid[k]!.eq(grid[nearest]!))
      .sort((a, b) => distance[a]!.cmp(distance[b]!));
    let sellable = new Money(ctx.position).sub(resting.filter((o) => o.side === "sell").reduce<Money>((acc, o) => acc.add(new Money(o.amount).sub(o.filled)), new Money(0)));
    let room = ctx.limits.maxOpenOrders - ctx.openOrders.length;
    const intents: Intent[] = [];
    for (const k of candidates) {
      if (room <= 0) break;
      const level = grid[k]!;
      const at = level.toFixed();
      if (restingAt.has(at)) continue;
      const side = level.lt(price) ? "buy" : "sell";
      if (side === "sell") {
        const amount = new Money(orderQuote).div(level);
        if (sellable.lt(amount)) continue;
        sellable = sellable.sub(amount);
      }
      intents.push({ kind: "place", side, type: "limit", price: at, quoteAmount: orderQuote, reason: `grid level ${at}` });
      room--;
    }
    return { intents, state: ctx.state };
  },
};
