/**
 * Entry point of a worker process: `npm run worker` (alone, e.g. on another
 * host against PostgreSQL) or spawned by `npm start`.
 */
import { env, EnvError } from "../env";
import { db } from "../db/client";
import { applyMigrations } from "../db/migrations";
import { describeDatabase } from "../db/adapter";
import { log } from "../log";
import { onParentExit } from "../cli/parent-watch";
import { Worker, errorSummary } from "./worker";

async function main(): Promise<void> {
  const config = env();
  await applyMigrations(config.databaseUrl);
  const worker = new Worker({ db: db(), log, heartbeatMs: config.WORKER_HEARTBEAT_MS, workerId: config.KEYWARD_WORKER_ID });
  await worker.start();
  log.info({ database: describeDatabase(config.databaseUrl) }, "worker ready");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "worker shutting down");
    await worker.stop();
    await db().$disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  // Under `npm start`, follow the supervisor if it is killed outright.
  if (process.env.KEYWARD_SUPERVISED === "1") onParentExit(() => void shutdown("supervisor exited"));
}

main().catch((err) => {
  if (err instanceof EnvError) console.error(err.message);
  else log.fatal({ err: errorSummary(err) }, "worker failed to start");
  process.exit(1);
});
