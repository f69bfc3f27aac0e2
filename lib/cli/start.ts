/**
 * `npm start`: the one command a user runs. Builds when needed, migrates,
 * then runs and supervises the web server, one worker and (unless
 * DEMO_EXCHANGE=off or DEMO_EXCHANGE_URL points elsewhere) the demo exchange.
 * SIGINT/SIGTERM stops everything within 10 s.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
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

async function main(): Promise<void> {
  ignoreBrokenPipes();
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });

  if (needsBuild(root)) {
    say("building the web app (first start or sources changed)…");
    const build = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    });
    if (build.status !== 0) {
      console.error("Build failed; see the output above.");
      process.exit(1);
    }
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
