/**
 * The equity at every candle close without a decimal per candle.
 *
 * Between two fills the account's totals do not change, so the equity at close
 * i is quote + base × close_i with the quote and base of the segment holding
 * i. `exact(i)` computes that in decimals (as the engine always did, the same
 * operations in the same order); the same in floats has a relative error
 * below 1e-15.
 *
 * Drawdowns need the running peak of all closes. They are found with floats
 * and settled with decimals: every close whose float equity is within `tol`
 * (1e-12, a thousand times the float error) of the float peak stays a
 * candidate for the exact peak, and every close whose equity ÷ peak is within
 * `tol` of the float minimum stays a candidate for the largest drawdown. Only
 * candidates are computed in decimals, so the results are the exact ones.
 */
import { Money, zero } from "../money";

export interface Segment {
  /** first candle index whose close carries these totals */
  from: number;
  quote: Money;
  base: Money;
}

const tol = 1e-12;

export class EquitySeries {
  private readonly segments: Segment[] = [];
  private readonly quoteF: number[] = [];
  private readonly baseF: number[] = [];
  /** segment index of each candle, filled by `seal` */
  private segOf: Uint32Array | null = null;

  constructor(
    private readonly candles: readonly { close: string }[],
    private readonly closesF: Float64Array,
  ) {}

  get n(): number {
    return this.candles.length;
  }

  /** From candle `from` on, the account holds these totals (call in increasing `from`). */
  set(from: number, quote: Money, base: Money): void {
    const last = this.segments.at(-1);
    if (last && (last.quote === quote || last.quote.eq(quote)) && (last.base === base || last.base.eq(base))) return;
    if (last?.from === from) {
      this.segments.pop();
      this.quoteF.pop();
      this.baseF.pop();
    }
    this.segments.push({ from, quote, base });
    this.quoteF.push(quote.toNumber());
    this.baseF.push(base.toNumber());
  }

  private segmentIndex(i: number): number {
    if (this.segOf) return this.segOf[i]!;
    let lo = 0;
    let hi = this.segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.segments[mid]!.from <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  exact(i: number): Money {
    const s = this.segments[this.segmentIndex(i)]!;
    return s.quote.add(s.base.mul(new Money(this.candles[i]!.close)));
  }

  /** Indexes every candle's segment (after the last `set`). */
  seal(): void {
    const segOf = new Uint32Array(this.n);
    for (let k = 0; k < this.segments.length; k++) segOf.fill(k, this.segments[k]!.from, this.segments[k + 1]?.from ?? this.n);
    this.segOf = segOf;
  }

  /**
   * The drawdown (fall from the running peak, as a fraction) at each index of
   * `at`, and the largest of all closes: exactly what a decimal loop over every
   * close gives (peak starts at `start`).
   */
  drawdowns(start: Money, at: readonly number[]): { max: Money; at: Money[] } {
    if (!this.segOf) this.seal();
    const segOf = this.segOf!;
    const cf = this.closesF;
    type Peak = { i: number; approx: number };
    let peakF = start.toNumber();
    let peaks: Peak[] = [{ i: -1, approx: peakF }];
    // the largest drawdown is the smallest equity ÷ peak: compared as that ratio, floats keep their relative precision even when equity nears 0
    let minRatio = Infinity;
    let ddCands: { i: number; ratio: number; peaks: Peak[] }[] = [];
    let pruneAt = 64;
    const sampled = new Map<number, Peak[]>();
    let next = 0;
    for (let i = 0; i < this.n; i++) {
      const seg = segOf[i]!;
      const e = this.quoteF[seg]! + this.baseF[seg]! * cf[i]!;
      if (e > peakF * (1 + tol)) {
        peakF = e;
        peaks = [{ i, approx: e }];
      } else if (e >= peakF * (1 - tol) && !peaks.some((p) => this.same(p.i, i))) {
        if (e > peakF) peakF = e;
        peaks = [...peaks.filter((p) => p.approx >= peakF * (1 - tol)), { i, approx: e }];
      }
      const ratio = peakF > 0 ? e / peakF : 1;
      if (ratio < 1 - tol) {
        // a fall of more than tol (smaller falls show as 0 in a 6-decimal percentage)
        if (ratio * (1 + tol) < minRatio) {
          ddCands = [{ i, ratio, peaks }];
          pruneAt = 64;
        } else if (ratio <= minRatio * (1 + tol)) {
          const last = ddCands.at(-1);
          if (!(last && last.peaks === peaks && this.same(last.i, i))) ddCands.push({ i, ratio, peaks });
        }
        if (ratio < minRatio) minRatio = ratio;
        if (ddCands.length > pruneAt) {
          ddCands = ddCands.filter((c) => c.ratio <= minRatio * (1 + tol));
          pruneAt = Math.max(64, 2 * ddCands.length);
        }
      }
      while (next < at.length && at[next] === i) sampled.set(at[next++]!, peaks);
    }
    const peakOf = (ps: Peak[]) => ps.map((p) => (p.i < 0 ? start : this.exact(p.i))).reduce((m, v) => (v.gt(m) ? v : m));
    const ddAt = (i: number, ps: Peak[]) => {
      const peak = peakOf(ps);
      return peak.gt(0) ? peak.sub(this.exact(i)).div(peak) : zero;
    };
    let max = zero;
    // below tol the exact maximum is too small to show in a 6-decimal percentage, and 0 is what a decimal loop reports when nothing fell
    for (const c of ddCands) {
      const dd = ddAt(c.i, c.peaks);
      if (dd.gt(max)) max = dd;
    }
    return { max, at: at.map((i) => ddAt(i, sampled.get(i)!)) };
  }

  /** Whether closes i and j (i < 0: the start) certainly have the same exact equity: one segment, and no position or the same close. */
  private same(i: number, j: number): boolean {
    if (i < 0 || j < 0) return false;
    const seg = this.segOf![j]!;
    return this.segOf![i] === seg && (this.baseF[seg] === 0 || this.candles[i]!.close === this.candles[j]!.close);
  }
}
