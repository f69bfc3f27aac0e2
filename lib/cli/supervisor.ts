/**
 * Keeps child processes alive: restarts one that dies, with exponential
 * backoff (1 s doubling to 30 s, reset after 30 s of healthy uptime), and
 * stops all of them on request — SIGTERM to each child's own process group,
 * SIGKILL to whatever is left after the grace period. Each child is started
 * detached so that it leads its own process group: signals then reach the
 * grandchildren too (Next's server, tsx's loader) and nothing is killed by name.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { exitConfigError } from "./exit-codes";

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

const minBackoffMs = 1000;
const maxBackoffMs = 30_000;
const healthyAfterMs = 30_000;

export class Supervisor {
  private readonly procs = new Map<string, ChildProcess>();
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  private stopping = false;

  constructor(private readonly say: (msg: string) => void = (m) => console.log(`[keyward] ${m}`)) {}

  add(spec: ChildSpec): void {
    this.launch(spec, minBackoffMs);
  }

  pids(): Record<string, number | undefined> {
    return Object.fromEntries([...this.procs].map(([name, p]) => [name, p.pid]));
  }

  private launch(spec: ChildSpec, backoffMs: number): void {
    const startedAt = Date.now();
    const child = spawn(spec.command, spec.args, { env: spec.env, stdio: "inherit", detached: true });
    this.procs.set(spec.name, child);
    this.say(`${spec.name} started (pid ${child.pid})`);
    child.on("exit", (code, signal) => {
      if (this.procs.get(spec.name) === child) this.procs.delete(spec.name);
      if (this.stopping) return;
      if (code === exitConfigError) {
        this.say(`${spec.name} refused to start because of a configuration problem (see above); not restarting it. Fix it and restart Keyward.`);
        return;
      }
      const ranMs = Date.now() - startedAt;
      const delay = ranMs >= healthyAfterMs ? minBackoffMs : backoffMs;
      this.say(`${spec.name} exited (${signal ?? `code ${code}`}); restarting in ${delay / 1000} s`);
      const timer = setTimeout(() => {
        this.restartTimers.delete(timer);
        if (!this.stopping) this.launch(spec, Math.min(delay * 2, maxBackoffMs));
      }, delay);
      this.restartTimers.add(timer);
    });
  }

  /** SIGTERM every child's group; SIGKILL after `graceMs`. Resolves when all are gone. */
  async stop(graceMs = 6000): Promise<void> {
    this.stopping = true;
    for (const t of this.restartTimers) clearTimeout(t);
    const running = [...this.procs.values()];
    await Promise.all(running.map((child) => stopGroup(child, graceMs)));
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

function stopGroup(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      signalGroup(child, "SIGKILL"); // leftovers of a group whose leader already exited
      return resolve();
    }
    const killer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(killer);
      signalGroup(child, "SIGKILL");
      resolve();
    });
    signalGroup(child, "SIGTERM");
  });
}
