/**
 * A real worker process (`npm run worker`'s entry point) for drills: its own
 * process group, its output kept, stopped by its own pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export interface WorkerProcess {
  proc: ChildProcess;
  id: string;
  output(): string;
  exited: Promise<number | null>;
  /** a signal to the worker's whole process group */
  signal(sig: NodeJS.Signals): void;
}

export function startWorker(env: { DATABASE_URL: string; KEYWARD_VAULT_KEY_FILE: string; DEMO_EXCHANGE_URL: string; KEYWARD_DATA_DIR: string } & Record<string, string>, id: string): WorkerProcess {
  const proc = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(root, "lib/bots/worker-main.ts")], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, WORKER_HEARTBEAT_MS: "500", BOT_LEASE_TTL_MS: "6000", LOG_LEVEL: "warn", KEYWARD_PROCESS: "worker", KEYWARD_WORKER_ID: id, ...env },
  });
  let out = "";
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return {
    proc,
    id,
    output: () => out,
    exited,
    signal: (sig) => {
      try {
        process.kill(-proc.pid!, sig);
      } catch {
        // already gone
      }
    },
  };
}
