/** The bot runtime in this process for a suite of tests: a demo exchange, a vault, and a worker's supervisor. */
import { afterAll, beforeAll } from "vitest";
import type { TestDatabase } from "./databases";
import type { RunningDemo } from "./demo-exchange";
import { startRuntime, type InProcessRuntime } from "./in-process-runtime";

/**
 * Starts before the suite's tests and stops after them: the in-process runtime (./in-process-runtime.ts)
 * on the suite's database, orders answered within 2 s counted as accepted. `demo` is set once the tests run.
 */
export function useRuntime(t: TestDatabase, workerId: string, opts: { stalledAfterMs?: number; rejectionCooldownMs?: number } = {}): { demo: RunningDemo; restart(): Promise<void> } {
  const handle = { restart: () => runtime!.restart() } as { demo: RunningDemo; restart(): Promise<void> };
  let runtime: InProcessRuntime | undefined;
  beforeAll(async () => {
    runtime = await startRuntime(t.db, workerId, { acceptWindowMs: 2000, ...opts });
    handle.demo = runtime.demo;
  });
  afterAll(async () => {
    await runtime?.stop();
  });
  return handle;
}
