/**
 * `npm start`: the one command a user runs. Builds when needed, migrates,
 * then runs and supervises the web server, one worker and (unless
 * DEMO_EXCHANGE=off or DEMO_EXCHANGE_URL points elsewhere) the demo exchange.
 * SIGINT/SIGTERM stops everything within 10 s.
 */
import { spawnSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { env, EnvError, type Env } from "../env";
import { needsBuild } from "./build-freshness";
import { onParentExit } from "./parent-watch";
import { ignoreBrokenPipes } from "./process-safety";
import { Supervisor } from "./supervisor";

const root = path.resolve(import.meta.dirname, "../..");
const say = (msg: string) => console.log(`[keyward] ${msg}`);

function loadConfig(): Env {
  try {
    return env();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

/**
 * Builds the web app when its sources changed. One build at a time: a start
 * that finds another start building waits for it and uses its build (tests
 * start several apps at once; two `next build`s in one folder fail).
 */
async function buildIfNeeded(): Promise<boolean> {
  const lock = path.join(root, ".tmp", "next-build.lock");
  mkdirSync(path.dirname(lock), { recursive: true });
  for (let waited = false; ; ) {
    if (!needsBuild(root)) return true;
    let fd: number;
    try {
      fd = openSync(lock, "wx");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (lockIsStale(lock)) rmSync(lock, { force: true });
      else {
        if (!waited) say("another start is building the web app; waiting for it…");
        waited = true;
        await new Promise((r) => setTimeout(r, 1000));
      }
      continue;
    }
    try {
      writeSync(fd, String(process.pid));
      closeSync(fd);
      if (!needsBuild(root)) return true;
      say("building the web app (first start or sources changed)…");
      const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
        cwd: root,
        stdio: "inherit",
        env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
      });
      return build.status === 0;
    } finally {
      rmSync(lock, { force: true });
    }
  }
}

/** A lock left by a start that died: its pid is gone, it never wrote one within 10 s, or it is older than any build (a reused pid). */
function lockIsStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(lock, "utf8"));
    const age = Date.now() - statSync(lock).mtimeMs;
    if (!pid) return age > 10_000;
    if (age > 20 * 60_000) return true;
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return ["ESRCH", "ENOENT"].includes((err as NodeJS.ErrnoException).code ?? "");
  }
}

async function main(): Promise<void> {
  ignoreBrokenPipes();
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });

  if (!(await buildIfNeeded())) {
    console.error("Build failed; see the output above.");
    process.exit(1);
  }

  // Migrations and upgrade steps run as `npm run db:migrate` does (in the react-server condition its code needs).
  const migrate = spawnSync(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(root, "lib/cli/db-migrate.ts")], { cwd: root, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  for (const line of migrate.stdout.split("\n").filter(Boolean)) say(line);
  if (migrate.status !== 0) process.exit(1);

  const childEnv = (name: string): NodeJS.ProcessEnv => ({ ...process.env, KEYWARD_PROCESS: name, KEYWARD_SUPERVISED: "1", NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" });
  const supervisor = new Supervisor(say);
  supervisor.add({
    name: "web",
    command: process.execPath,
    args: ["--import", "tsx", path.join(root, "lib/web/server.ts")],
    env: childEnv("web"),
  });
  supervisor.add({
    name: "worker",
    command: process.execPath,
    args: ["--import", "tsx", "--conditions=react-server", path.join(root, "lib/bots/worker-main.ts")],
    env: childEnv("worker"),
  });
  if (config.DEMO_EXCHANGE === "on" && !config.DEMO_EXCHANGE_URL) {
    supervisor.add({
      name: "demo-exchange",
      command: process.execPath,
      args: ["--import", "tsx", path.join(root, "lib/exchange/demo/main.ts")],
      env: childEnv("demo-exchange"),
    });
  }
  say(`Keyward is starting on http://${config.HOST}:${config.PORT} — press Ctrl+C to stop`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping…`);
    await supervisor.stop();
    say("stopped");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGHUP", () => void shutdown("SIGHUP"));
  onParentExit(() => void shutdown("parent exited"));
}

main().catch((err) => {
  console.error(`Keyward failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
