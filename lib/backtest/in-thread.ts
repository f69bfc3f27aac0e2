/** Runs a backtest in a worker thread (./thread-entry.ts); `stop()` ends it at once. */
import { Worker } from "node:worker_threads";
import type { BacktestData } from "./engine";

export interface ThreadRun {
  /** the report as JSON text */
  result: Promise<string>;
  stop(): void;
}

export function runInThread(input: BacktestData, onProgress: (done: number, total: number) => void): ThreadRun {
  // a thread does not inherit the --import tsx hook: it registers tsx itself, then loads the TypeScript entry
  const entry = new URL("./thread-entry.ts", import.meta.url).href;
  const worker = new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`, { eval: true, workerData: input });
  let stopped = false;
  const result = new Promise<string>((resolve, reject) => {
    worker.on("message", (m: { type: string; done?: number; total?: number; report?: string; message?: string }) => {
      if (m.type === "progress") onProgress(m.done!, m.total!);
      else if (m.type === "done") resolve(m.report!);
      else reject(new Error(m.message));
    });
    worker.on("error", reject);
    worker.on("exit", (code) => (stopped ? reject(new Error("The backtest was cancelled.")) : code !== 0 && reject(new Error(`The backtest thread ended (${code}).`))));
  });
  return {
    result,
    stop: () => {
      stopped = true;
      void worker.terminate();
    },
  };
}
