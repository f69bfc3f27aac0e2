/** The bot runtime in this process: a demo exchange, a vault, and a worker's supervisor (tests and the soak benchmark). */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { Supervisor, type SupervisorOptions } from "@/lib/bots/supervisor";
import type { Db } from "@/lib/db/client";
import { createLogger } from "@/lib/log";
import { loadVault } from "@/lib/vault/keyring";
import { startDemo, type RunningDemo } from "./demo-exchange";

const quiet = createLogger(new Writable({ write: (_c, _e, cb) => cb() }));

export interface InProcessRuntime {
  demo: RunningDemo;
  /** the worker restarted: its supervisor stopped as on SIGTERM (ticks in flight finish, bots released), and a new one (another worker id) takes the bots */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A demo exchange and a supervisor (worker `workerId`) on `db`, passing every 300 ms and renewing its
 * leases every 3 s as a worker does (without renewals each runner lost its bot 12 s after taking it
 * and took it again at once: a restart every 12 s).
 */
export async function startRuntime(db: Db, workerId: string, opts: Partial<Pick<SupervisorOptions, "acceptWindowMs" | "stalledAfterMs" | "rejectionCooldownMs">> = {}): Promise<InProcessRuntime> {
  const demo = await startDemo();
  const { keyring } = await loadVault(db, path.join(mkdtempSync(path.join(os.tmpdir(), "keyward-rt-")), "vault.key"));
  let starts = 0;
  const run = () => {
    const supervisor = new Supervisor({ db, log: quiet, workerId: starts++ ? `${workerId}-${starts}` : workerId, demoUrl: demo.url, keyring: () => keyring, leaseTtlMs: 15_000, ...opts });
    const timers = [setInterval(() => void supervisor.pass().catch(() => undefined), 300), setInterval(() => void supervisor.renewLeases(), 3000)];
    return async () => {
      for (const timer of timers) clearInterval(timer);
      await supervisor.stop(2000);
    };
  };
  let stopSupervisor = run();
  return {
    demo,
    restart: async () => {
      await stopSupervisor();
      stopSupervisor = run();
    },
    stop: async () => {
      await stopSupervisor();
      await demo.close();
    },
  };
}
