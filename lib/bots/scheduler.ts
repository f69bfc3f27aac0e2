/**
 * One timer for every runner of a worker: a min-heap of due times and a single
 * setTimeout for the earliest. A thousand bots cost one timer, and a bot is
 * woken only when its tick is due (or when the user asks for something).
 */
interface Entry {
  at: number;
  seq: number;
  run: () => void;
}

export class Scheduler {
  private readonly heap: Entry[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private seq = 0;
  private stopped = false;

  constructor(private readonly clock: () => number = Date.now) {}

  get size(): number {
    return this.heap.length;
  }

  at(at: number, run: () => void): void {
    if (this.stopped) return;
    this.push({ at, seq: this.seq++, run });
    if (at < this.timerAt) this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.heap.length = 0;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    const next = this.heap[0];
    this.timerAt = next ? next.at : Infinity;
    this.timer = next ? setTimeout(() => this.fire(), Math.max(0, next.at - this.clock())) : null;
  }

  private fire(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const now = this.clock();
    while (this.heap.length && this.heap[0]!.at <= now) {
      const e = this.pop()!;
      try {
        e.run();
      } catch {
        // a runner's tick handles its own errors; the scheduler never dies of one
      }
    }
    this.arm();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length && last) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
