/** The bot runtime in this process for a suite of tests: a demo exchange, a vault, and a worker's supervisor. */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll } from "vitest";
import { Supervisor } from "@/lib/bots/supervisor";
import { createLogger } from "@/lib/log";
import { loadVault } from "@/lib/vault/keyring";
import type { TestDatabase } from "./databases";
import { startDemo, type RunningDemo } from "./demo-exchange";

const quiet = createLogger(new Writable({ write: (_c, _e, cb) => cb() }));

/**
 * Starts before the suite's tests and stops after them: a demo exchange and a
 * supervisor (worker `workerId`) passing every 300 ms and renewing its leases
 * every 3 s, as a worker does, on the suite's database. `demo` is set once the
 * tests run.
 */
export function useRuntime(t: TestDatabase, workerId: string, opts: { stalledAfterMs?: number } = {}): { demo: RunningDemo } {
  const runtime = {} as { demo: RunningDemo };
  let supervisor: Supervisor;
  let timers: NodeJS.Timeout[] = [];
  beforeAll(async () => {
    const demo = (runtime.demo = await startDemo());
    const { keyring } = await loadVault(t.db, path.join(mkdtempSync(path.join(os.tmpdir(), "keyward-rt-")), "vault.key"));
    supervisor = new Supervisor({ db: t.db, log: quiet, workerId, demoUrl: demo.url, keyring: () => keyring, leaseTtlMs: 15_000, acceptWindowMs: 2000, ...opts });
    // without renewals each runner lost its bot 12 s after taking it and took it again at once (a restart every 12 s)
    timers = [setInterval(() => void supervisor.pass().catch(() => undefined), 300), setInterval(() => void supervisor.renewLeases(), 3000)];
  });
  afterAll(async () => {
    for (const timer of timers) clearInterval(timer);
    await supervisor.stop(2000);
    await runtime.demo.close();
  });
  return runtime;
}
