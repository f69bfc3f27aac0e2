/**
 * A backtest in a worker thread, so a long run never blocks the worker's
 * heartbeat, leases or bots. Input from workerData; posts progress and the
 * report as JSON text (the same bytes the CLI prints, compact).
 */
import { parentPort, workerData } from "node:worker_threads";
import { runBacktest, type BacktestData } from "./engine";

const input = workerData as BacktestData;
try {
  const report = runBacktest({ ...input, onProgress: (done, total) => parentPort!.postMessage({ type: "progress", done, total }) });
  parentPort!.postMessage({ type: "done", report: JSON.stringify(report) });
} catch (err) {
  parentPort!.postMessage({ type: "error", message: err instanceof Error ? err.message : String(err) });
}
