/**
 * Starts Keyward the way `npm start` does (lib/cli/start.ts) in its own data
 * directory and port, and stops it by its own pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export interface RunningApp {
  proc: ChildProcess;
  baseUrl: string;
  dataDir: string;
  output(): string;
  /** pids the supervisor reported for a child name, oldest first */
  childPids(name: string): number[];
  exited: Promise<number | null>;
}

const root = path.resolve(import.meta.dirname, "../..");

export function startApp(port: number, extraEnv: Record<string, string> = {}): RunningApp {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "keyward-app-"));
  const proc = spawn(process.execPath, ["--import", "tsx", path.join(root, "lib/cli/start.ts")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), KEYWARD_DATA_DIR: dataDir, DEMO_EXCHANGE_PORT: String(port + 1), WORKER_HEARTBEAT_MS: "1000", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d) => (out += d));
  proc.stderr?.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => proc.on("exit", (code) => resolve(code)));
  return {
    proc,
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    output: () => out,
    childPids: (name) => [...out.matchAll(new RegExp(`\\] ${name} started \\(pid (\\d+)\\)`, "g"))].map((m) => Number(m[1])),
    exited,
  };
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number, app?: RunningApp): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}${app ? `\n--- app output ---\n${app.output().slice(-3000)}` : ""}`);
}

/** Waits until the app answers /api/health with a worker heartbeat younger than 10 s (a first start builds: up to 4 min). */
export async function waitForWorker(app: RunningApp): Promise<void> {
  await waitFor("healthy app", async () => ((await health(app.baseUrl)).worker.lastHeartbeatAgeMs ?? Infinity) < 10_000 || undefined, 240_000, app);
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface HealthBody {
  status: string;
  version: string;
  db: string;
  worker: { lastHeartbeatAgeMs: number | null; count: number };
}

export async function health(baseUrl: string): Promise<HealthBody> {
  const res = await fetch(`${baseUrl}/api/health`);
  return (await res.json()) as HealthBody;
}

/** SIGTERM to the supervisor (it stops its children); SIGKILL to each by its own pid if it is not gone in 15 s. */
export async function stopApp(app: RunningApp): Promise<void> {
  if (app.proc.exitCode === null) app.proc.kill("SIGTERM");
  const exited = await Promise.race([app.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 15_000))]);
  if (exited) return;
  app.proc.kill("SIGKILL");
  for (const pid of ["web", "worker", "demo-exchange"].flatMap((n) => app.childPids(n))) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone
    }
  }
}
