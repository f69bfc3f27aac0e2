/**
 * Grid: `levels` prices evenly spaced from `lower` to `upper`. Below the price
 * the grid rests buys, above it sells (as far as the bot's position covers
 * them), each worth `orderQuote`; the level nearest the price stays empty, so a
 * filled buy is sold one level higher and a filled sell bought back one level
 * lower. A buy brings a little less than a sell of `orderQuote` one level up
 * needs when its fee is taken in the base asset and its amount was rounded
 * down to the market's step (20 USDT at 58,000 buys 0.00034 BTC, 0.00033966
 * after the fee; the sell at 58,500 asks 0.00034188): such a sell sells what
 * the position holds (sellSize, ./market.ts). The levels nearest the price
 * come first when the open-order limit cannot hold them all. Outside
 * [lower, upper] it rests nothing new.
 *
 * A resting limit order holds the levels its price stands for: the order path
 * rounds a level to the market's price tick, buys down and sells up, so the
 * level 1.01666667 rests as a buy at 1.0166 or a sell at 1.0167, and levels
 * closer than a tick round to one price, which one order holds. An order at
 * no level's rounded price (the tick unknown, or other parameters) holds the
 * level nearest its price, within half a spacing.
 */
import { z } from "zod";
import { Money } from "../money";
import { positiveDecimal, wholeNumber } from "../validation/common";
import { sellSize } from "./market";
import type { Intent, OpenOrderView, Strategy } from "./types";

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

interface Levels {
  values: readonly Money[];
  /** each written as a price */
  texts: readonly string[];
  /** half the spacing of two levels */
  reach: Money;
  /** per side: each level's price as the order path rounds it to the tick (buys down, sells up), and the levels each such price stands for */
  buy: RestingPrices;
  sell: RestingPrices;
}

interface RestingPrices {
  of: readonly string[];
  levelsAt: ReadonlyMap<string, readonly string[]>;
}

function restingPrices(values: readonly Money[], texts: readonly string[], tick: string | null, rounding: typeof Money.ROUND_DOWN | typeof Money.ROUND_UP): RestingPrices {
  const of = tick ? values.map((l) => l.toNearest(tick, rounding).toFixed()) : texts;
  const levelsAt = new Map<string, string[]>();
  of.forEach((price, k) => levelsAt.set(price, [...(levelsAt.get(price) ?? []), texts[k]!]));
  return { of, levelsAt };
}

/** The levels of recent parameter sets and ticks (a backtest asks at every close); Money values are immutable, so they can be shared. */
const levelCache = new Map<string, Levels>();
function cachedLevels(lower: string, upper: string, levels: number, tick: string | null): Levels {
  const key = `${lower}|${upper}|${levels}|${tick}`;
  let found = levelCache.get(key);
  if (!found) {
    if (levelCache.size >= 64) levelCache.clear();
    const values = gridLevels(lower, upper, levels);
    const texts = values.map((l) => l.toFixed());
    const reach = new Money(upper).sub(lower).div(levels - 1).div(2);
    levelCache.set(key, (found = { values, texts, reach, buy: restingPrices(values, texts, tick, Money.ROUND_DOWN), sell: restingPrices(values, texts, tick, Money.ROUND_UP) }));
  }
  return found;
}

/** The first level at or above `price` (the number of levels when none is). */
function firstAtOrAbove(grid: readonly Money[], price: Money): number {
  let lo = 0;
  for (let hi = grid.length; lo < hi; ) {
    const mid = (lo + hi) >> 1;
    if (grid[mid]!.lt(price)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The level nearest `price` (of two equally near, the lower), as written, if within half a spacing. */
function nearestLevel(levels: Levels, price: Money): string | null {
  const grid = levels.values;
  const above = firstAtOrAbove(grid, price);
  const below = above - 1;
  const k = above === grid.length || (below >= 0 && price.sub(grid[below]!).lte(grid[above]!.sub(price))) ? below : above;
  return k >= 0 && grid[k]!.sub(price).abs().lte(levels.reach) ? levels.texts[k]! : null;
}

/** The levels a resting order holds: those its price stands for once rounded for its side, else the nearest. */
function levelsHeldBy(levels: Levels, side: "buy" | "sell", price: Money): readonly string[] {
  const exact = levels[side].levelsAt.get(price.toFixed());
  if (exact) return exact;
  const nearest = nearestLevel(levels, price);
  return nearest ? [nearest] : [];
}

/** What each resting order holds, per level set (a backtest hands the same order view at every close until it fills). */
const heldCache = new WeakMap<OpenOrderView, { levels: Levels; held: readonly string[] }>();
function heldBy(o: OpenOrderView, levels: Levels): readonly string[] {
  const known = heldCache.get(o);
  if (known?.levels === levels) return known.held;
  const held = levelsHeldBy(levels, o.side, new Money(o.price!));
  if (Object.isFrozen(o)) heldCache.set(o, { levels, held });
  return held;
}

/**
 * The indexes of the levels (ascending), nearest the price first; of two equally near, the lower first.
 * Walks out from the price in both directions, so each distance is computed once, and only as far as asked.
 */
function* byDistance(grid: readonly Money[], price: Money): Generator<number> {
  let above = firstAtOrAbove(grid, price);
  let below = above - 1;
  let down = below >= 0 ? price.sub(grid[below]!) : null;
  let up = above < grid.length ? grid[above]!.sub(price) : null;
  while (down || up) {
    if (down && (!up || down.lte(up))) {
      yield below--;
      down = below >= 0 ? price.sub(grid[below]!) : null;
    } else {
      yield above++;
      up = above < grid.length ? grid[above]!.sub(price) : null;
    }
  }
}

export const grid: Strategy<typeof gridParams> = {
  id: "grid",
  version: 1,
  name: "Grid",
  description: "Rests buys below the price and sells above it on evenly spaced levels; each fill is answered one level away.",
  params: gridParams,
  orderSize: { param: "orderQuote", type: "limit" },
  decide(ctx) {
    const { lower, upper, levels, orderQuote } = ctx.params;
    const price = new Money(ctx.lastPrice);
    if (price.lt(lower) || price.gt(upper)) return { intents: [], state: ctx.state };
    const levelSet = cachedLevels(lower, upper, levels, ctx.market.priceTick);
    const { values: grid, texts } = levelSet;
    const resting = ctx.openOrders.filter((o) => o.type === "limit" && o.price !== null);
    // equal levels are written alike, and levels that round to one price rest as one order: it holds them all
    const held = new Set(resting.flatMap((o) => heldBy(o, levelSet)));
    /** the position not yet offered by resting sells (asked for once a sell level comes up) */
    let sellable: Money | null = null;
    let room = ctx.limits.maxOpenOrders - ctx.openOrders.length;
    const intents: Intent[] = [];
    let nearest: Money | null = null;
    // nearest levels first, so the open-order limit keeps the ones that matter
    for (const k of byDistance(grid, price)) {
      const level = grid[k]!;
      // the first level nearest the price stays empty (and any level equal to it)
      if (!nearest) {
        nearest = level;
        continue;
      }
      if (level.eq(nearest)) continue;
      if (room <= 0) break;
      const at = texts[k]!;
      if (held.has(at)) continue;
      const side = level.lt(price) ? "buy" : "sell";
      let size: { quoteAmount: string } | { amount: string } = { quoteAmount: orderQuote };
      if (side === "sell") {
        sellable ??= new Money(ctx.position).sub(resting.filter((o) => o.side === "sell").reduce<Money>((acc, o) => acc.add(o.filled === "0" ? o.amount : new Money(o.amount).sub(o.filled)), new Money(0)));
        const amount = new Money(orderQuote).div(level);
        const sells = sellSize(sellable, amount, levelSet.sell.of[k]!, ctx.market);
        if (!sells) continue; // a remainder waits for the next buy
        sellable = sellable.sub(sells === "order" ? amount : sells);
        if (sells !== "order") size = { amount: sells.toFixed() };
      }
      intents.push({ kind: "place", side, type: "limit", price: at, ...size, reason: `grid level ${at}` });
      for (const same of levelSet[side].levelsAt.get(levelSet[side].of[k]!)!) held.add(same); // levels that round to its price
      room--;
    }
    return { intents, state: ctx.state };
  },
};
