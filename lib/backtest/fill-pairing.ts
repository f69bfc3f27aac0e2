/**
 * Which live fill goes with which simulated fill, for the replay. A pair is two
 * fills of the same side at most `window` ms apart, and the pairing chosen has
 * the most pairs; among those, the most whose live fill is compared (at or
 * before `comparedUntil`: an unpaired later one is "not compared yet", an
 * unpaired earlier one a difference); among those, the least total time
 * between paired fills. Pairing one fill at a time cannot promise that: with
 * simulated buys at 0 and 3 and live buys at 2 and 4 (window 2), the first live
 * buy taking the nearer buy at 3 leaves the second without a partner, and the
 * replay would report a fill the backtest did not make and a signal the bot
 * missed, neither of which happened.
 *
 * On a line some best pairing never crosses (two crossed pairs uncrossed pair
 * the same fills, are no farther apart in total, and each stays within the
 * window), so each side is an alignment of two time-ordered lists, solved by
 * dynamic programming. Fills more than a window away from every other fill split
 * the lists into clusters that are solved apart; a cluster too large for the
 * table (a busy bot whose fills never pause for a window) falls back to taking
 * the nearest free fill one at a time.
 */

export interface Timed {
  time: number;
  side: string;
}

/** Table cells a cluster may use (a byte each, plus three rows of numbers). */
const maxCells = 16_000_000;

/** Live fill index → simulated fill index, for every pair. */
export function pairFills(live: readonly Timed[], simulated: readonly Timed[], window: number, comparedUntil = Infinity): Map<number, number> {
  const pairs = new Map<number, number>();
  const sides = new Set([...live.map((f) => f.side), ...simulated.map((f) => f.side)]);
  for (const side of sides) {
    const byTime = (list: readonly Timed[]) => list.flatMap((f, i) => (f.side === side ? [i] : [])).sort((a, b) => list[a]!.time - list[b]!.time);
    for (const [a, b] of clusters(byTime(live), byTime(simulated), live, simulated, window)) {
      const time = (list: readonly Timed[], ix: number[]) => ix.map((i) => list[i]!.time);
      const found = a.length * b.length > maxCells ? nearestFirst(time(live, a), time(simulated, b), window) : align(time(live, a), time(simulated, b), window, comparedUntil);
      for (const [i, j] of found) pairs.set(a[i]!, b[j]!);
    }
  }
  return pairs;
}

/** The two index lists (each in time order) cut wherever no fill of either is within `window` of the next. */
function clusters(a: number[], b: number[], live: readonly Timed[], simulated: readonly Timed[], window: number): [number[], number[]][] {
  const out: [number[], number[]][] = [];
  let i = 0;
  let j = 0;
  let last = -Infinity;
  while (i < a.length || j < b.length) {
    const fromLive = j >= b.length || (i < a.length && live[a[i]!]!.time <= simulated[b[j]!]!.time);
    const t = fromLive ? live[a[i]!]!.time : simulated[b[j]!]!.time;
    if (t - last > window) out.push([[], []]);
    out.at(-1)![fromLive ? 0 : 1].push(fromLive ? a[i++]! : b[j++]!);
    last = t;
  }
  return out.filter(([x, y]) => x.length && y.length);
}

/** Whether (pairs, compared, distance) 1 is better than 2, by the order above. */
const better = (p1: number, k1: number, d1: number, p2: number, k2: number, d2: number) => p1 > p2 || (p1 === p2 && (k1 > k2 || (k1 === k2 && d1 < d2)));

/** The best non-crossing pairing of two ascending time lists (live `a`, simulated `b`), by the order above. */
function align(a: number[], b: number[], window: number, comparedUntil: number): [number, number][] {
  const w = b.length + 1;
  const how = new Uint8Array((a.length + 1) * w); // 1: a[i-1] unpaired, 2: b[j-1] unpaired, 3: they pair
  // the best over a[0..i) and b[0..j): pairs, pairs compared, total distance; this row and the one before (column 0 stays 0)
  let [prevPairs, prevCompared, prevDistance] = [new Float64Array(w), new Float64Array(w), new Float64Array(w)];
  let [pairs, compared, distance] = [new Float64Array(w), new Float64Array(w), new Float64Array(w)];
  for (let i = 1; i <= a.length; i++) {
    const counts = a[i - 1]! <= comparedUntil ? 1 : 0;
    for (let j = 1; j <= b.length; j++) {
      // a[i-1] unpaired (ties keep the earlier choice: deterministic)
      let p = prevPairs[j]!;
      let k = prevCompared[j]!;
      let d = prevDistance[j]!;
      let h = 1;
      if (better(pairs[j - 1]!, compared[j - 1]!, distance[j - 1]!, p, k, d)) {
        p = pairs[j - 1]!;
        k = compared[j - 1]!;
        d = distance[j - 1]!;
        h = 2;
      }
      const apart = Math.abs(a[i - 1]! - b[j - 1]!);
      if (apart <= window && better(prevPairs[j - 1]! + 1, prevCompared[j - 1]! + counts, prevDistance[j - 1]! + apart, p, k, d)) {
        p = prevPairs[j - 1]! + 1;
        k = prevCompared[j - 1]! + counts;
        d = prevDistance[j - 1]! + apart;
        h = 3;
      }
      pairs[j] = p;
      compared[j] = k;
      distance[j] = d;
      how[i * w + j] = h;
    }
    [prevPairs, pairs] = [pairs, prevPairs];
    [prevCompared, compared] = [compared, prevCompared];
    [prevDistance, distance] = [distance, prevDistance];
  }
  const out: [number, number][] = [];
  for (let i = a.length, j = b.length; i > 0 && j > 0; ) {
    const h = how[i * w + j];
    if (h === 3) out.push([--i, --j]);
    else if (h === 2) j--;
    else i--;
  }
  return out.reverse();
}

/** Each fill of `a` in time order takes the nearest free fill of `b` within the window (for clusters too large to align). */
function nearestFirst(a: number[], b: number[], window: number): [number, number][] {
  const taken = new Uint8Array(b.length);
  const pairs: [number, number][] = [];
  let lo = 0;
  for (let i = 0; i < a.length; i++) {
    while (lo < b.length && b[lo]! < a[i]! - window) lo++;
    let best = -1;
    for (let j = lo; j < b.length && b[j]! <= a[i]! + window; j++) if (!taken[j] && (best < 0 || Math.abs(b[j]! - a[i]!) < Math.abs(b[best]! - a[i]!))) best = j;
    if (best >= 0) {
      taken[best] = 1;
      pairs.push([i, best]);
    }
  }
  return pairs;
}
