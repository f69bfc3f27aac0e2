import { describe, expect, it } from "vitest";
import { pairFills, type Timed } from "@/lib/backtest/fill-pairing";

const buys = (...times: number[]): Timed[] => times.map((time) => ({ time, side: "buy" }));
const asList = (pairs: Map<number, number>) => [...pairs.entries()].sort((x, y) => x[0] - y[0]);

/** Every pairing, tried: the most pairs, then the most with a live fill at or before `until`, then the least total distance (small inputs only). */
function bruteForce(live: Timed[], simulated: Timed[], window: number, until: number): { pairs: number; compared: number; distance: number } {
  let best = { pairs: 0, compared: 0, distance: 0 };
  const used = new Set<number>();
  const walk = (i: number, pairs: number, compared: number, distance: number) => {
    if (i === live.length) {
      if (pairs > best.pairs || (pairs === best.pairs && (compared > best.compared || (compared === best.compared && distance < best.distance)))) best = { pairs, compared, distance };
      return;
    }
    walk(i + 1, pairs, compared, distance);
    for (const [j, s] of simulated.entries()) {
      const d = Math.abs(s.time - live[i]!.time);
      if (used.has(j) || s.side !== live[i]!.side || d > window) continue;
      used.add(j);
      walk(i + 1, pairs + 1, compared + (live[i]!.time <= until ? 1 : 0), distance + d);
      used.delete(j);
    }
  };
  walk(0, 0, 0, 0);
  return best;
}

describe("pairing live and simulated fills (the replay)", () => {
  it("pairs every fill that can be paired: taking the nearer fill first would leave one out", () => {
    // live 2 is nearer the simulated 3, but then live 4 has no partner within 2: two false differences
    expect(asList(pairFills(buys(2, 4), buys(0, 3), 2))).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it("among pairings with as many pairs, the closest in time: a bot back from a restart pairs with the signals it acted on", () => {
    const live = buys(128, 188, 249, 310);
    const simulated = buys(60, 120, 180, 240, 300);
    expect(asList(pairFills(live, simulated, 120)).map(([i, j]) => [live[i]!.time, simulated[j]!.time])).toEqual([
      [128, 120],
      [188, 180],
      [249, 240],
      [310, 300],
    ]);
  });

  it("as many pairs either way: the fills compared pair, and the live fill left over is the one not compared yet", () => {
    // live buys 20 s after each minute from 0:20, simulated ones at 1:00 … 4:00, compared until 4:00: the nearest pairing
    // (1:21 → 1:00 … 4:24 → 4:00) would leave 0:20 as a fill the backtest did not make; this leaves 4:24 for later
    const s = 1000;
    const live = buys(20 * s, 81 * s, 142 * s, 203 * s, 264 * s);
    expect(asList(pairFills(live, buys(60 * s, 120 * s, 180 * s, 240 * s), 120 * s, 240 * s))).toEqual([0, 1, 2, 3].map((i) => [i, i]));
  });

  it("a buy never pairs with a sell, and fills farther apart than the window stay unpaired", () => {
    const live: Timed[] = [
      { time: 10, side: "sell" },
      { time: 500, side: "buy" },
    ];
    const simulated: Timed[] = [
      { time: 11, side: "buy" },
      { time: 12, side: "sell" },
      { time: 900, side: "buy" },
    ];
    expect(asList(pairFills(live, simulated, 100))).toEqual([[0, 1]]);
  });

  it("agrees with trying every pairing, over 2,000 random small cases (both sides, ties, clusters, fills not compared yet)", () => {
    let seed = 11;
    const rnd = (n: number) => Math.floor(((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * n); // high bits: the low ones of this generator repeat
    for (let k = 0; k < 2000; k++) {
      const fills = (n: number): Timed[] => Array.from({ length: n }, () => ({ time: rnd(40), side: rnd(4) === 0 ? "sell" : "buy" }));
      const live = fills(rnd(7));
      const simulated = fills(rnd(7));
      const window = 1 + rnd(8);
      const until = rnd(2) ? Infinity : rnd(40);
      const pairs = pairFills(live, simulated, window, until);
      let distance = 0;
      let compared = 0;
      for (const [i, j] of pairs) {
        expect(live[i]!.side).toBe(simulated[j]!.side);
        expect(Math.abs(live[i]!.time - simulated[j]!.time)).toBeLessThanOrEqual(window);
        distance += Math.abs(live[i]!.time - simulated[j]!.time);
        if (live[i]!.time <= until) compared++;
      }
      expect(new Set(pairs.values()).size).toBe(pairs.size); // each simulated fill used once
      expect({ pairs: pairs.size, compared, distance }, JSON.stringify({ live, simulated, window, until })).toEqual(bruteForce(live, simulated, window, until));
    }
  });

  it("a cluster too large for the table (fills never a window apart) still pairs, nearest first", () => {
    const n = 4_100; // 4,100² cells: more than the table takes
    const live = buys(...Array.from({ length: n }, (_, i) => i * 10 + 3));
    const simulated = buys(...Array.from({ length: n }, (_, i) => i * 10));
    const pairs = pairFills(live, simulated, 10);
    expect(pairs.size).toBe(n);
    expect([...pairs].every(([i, j]) => i === j)).toBe(true);
  });
});
