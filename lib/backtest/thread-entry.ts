/**
 * A backtest thread (./in-thread.ts). `run`: one backtest, posting progress
 * and the report as JSON text (the same bytes the CLI prints, compact).
 * `lane`: waits for parameters, runs the input with each, posts the summary.
 */
import { parentPort, workerData } from "node:worker_threads";
import { runBacktest } from "./engine";
import type { ThreadJob } from "./in-thread";

const job = workerData as ThreadJob;
const port = parentPort!;
const failed = (err: unknown) => port.postMessage({ type: "error", message: err instanceof Error ? err.message : String(err) });

if ("run" in job) {
  try {
    const report = runBacktest({ ...job.run, onProgress: (done, total) => port.postMessage({ type: "progress", done, total }) });
    port.postMessage({ type: "done", report: JSON.stringify(report) });
  } catch (err) {
    failed(err);
  }
} else {
  port.on("message", (params: Record<string, unknown>) => {
    try {
      port.postMessage({ type: "done", summary: runBacktest({ ...job.lane, params }).summary });
    } catch (err) {
      failed(err);
    }
  });
}
