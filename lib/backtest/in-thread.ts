/**
 * Backtests in worker threads (./thread-entry.ts), so a long run never blocks
 * the worker's heartbeat, leases or bots. Starting a thread costs over a
 * second (it loads the engine's TypeScript afresh), so a sweep runs its
 * combinations through a few long-lived lanes, each given the candles once.
 * `stop()` ends a thread at once.
 */
import { Worker } from "node:worker_threads";
import type { BacktestData } from "./engine";
import type { Summary } from "./stats";

/** What a thread is asked to do: one run with progress and its whole report, or a lane of runs over the same input. */
export type ThreadJob = { run: BacktestData } | { lane: BacktestData };

type ThreadMessage = { type: "progress"; done: number; total: number } | { type: "done"; report?: string; summary?: Summary } | { type: "error"; message: string };

function startThread(job: ThreadJob): Worker {
  // a thread does not inherit the --import tsx hook: it registers tsx itself, then loads the TypeScript entry
  const entry = new URL("./thread-entry.ts", import.meta.url).href;
  return new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`, { eval: true, workerData: job });
}

/** The thread's end as an error: cancelled by `stop()`, or ended on its own. */
const ended = (stopped: boolean, code: number) => new Error(stopped ? "The backtest was cancelled." : `The backtest thread ended (${code}).`);

export interface ThreadRun {
  /** the report as JSON text */
  result: Promise<string>;
  stop(): void;
}

export function runInThread(input: BacktestData, onProgress: (done: number, total: number) => void): ThreadRun {
  const worker = startThread({ run: input });
  let stopped = false;
  const result = new Promise<string>((resolve, reject) => {
    worker.on("message", (m: ThreadMessage) => {
      if (m.type === "progress") onProgress(m.done, m.total);
      else if (m.type === "done") resolve(m.report!);
      else reject(new Error(m.message));
    });
    worker.on("error", reject);
    worker.on("exit", (code) => (stopped || code !== 0) && reject(ended(stopped, code)));
  });
  return {
    result,
    stop: () => {
      stopped = true;
      void worker.terminate();
    },
  };
}

/** A thread that runs one combination of parameters after another over the same input, answering each run's summary. */
export class ThreadLane {
  private readonly worker: Worker;
  private waiting: { resolve: (s: Summary) => void; reject: (e: Error) => void } | null = null;
  private stopped = false;

  constructor(input: BacktestData) {
    this.worker = startThread({ lane: input });
    const settle = (f: (w: NonNullable<ThreadLane["waiting"]>) => void) => {
      const w = this.waiting;
      this.waiting = null;
      if (w) f(w);
    };
    this.worker.on("message", (m: ThreadMessage) => {
      if (m.type === "done") settle((w) => w.resolve(m.summary!));
      else if (m.type === "error") settle((w) => w.reject(new Error(m.message)));
    });
    this.worker.on("error", (err) => settle((w) => w.reject(err)));
    this.worker.on("exit", (code) => settle((w) => w.reject(ended(this.stopped, code))));
  }

  /** Runs the input with these parameters; one run at a time per lane. */
  summary(params: Record<string, unknown>): Promise<Summary> {
    if (this.stopped) return Promise.reject(ended(true, 0));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.worker.postMessage(params);
    });
  }

  stop(): void {
    this.stopped = true;
    void this.worker.terminate();
  }
}
