/**
 * Entry point of a worker process: `npm run worker` (alone, e.g. on another
 * host against PostgreSQL) or spawned by `npm start`.
 */
import { env, EnvError } from "../env";
import { db } from "../db/client";
import { prepareDatabase } from "../cli/prepare-database";
import { describeDatabase } from "../db/adapter";
import { log } from "../log";
import { onParentExit } from "../cli/parent-watch";
import { ignoreBrokenPipes, shutdownWithDeadline } from "../cli/process-safety";
import { VaultKeyError } from "../vault/keyfile";
import { loadVault } from "../vault/keyring";
import { exitConfigError } from "../cli/exit-codes";
import { Worker, errorSummary } from "./worker";

async function main(): Promise<void> {
  ignoreBrokenPipes();
  const config = env();
  await prepareDatabase(config.databaseUrl);
  // The worker is the only process that holds the vault private key.
  const { keyring } = await loadVault(db(), config.vaultKeyFile, (msg) => log.warn(msg));
  const worker = new Worker({ db: db(), log, heartbeatMs: config.WORKER_HEARTBEAT_MS, workerId: config.KEYWARD_WORKER_ID, keyring, vaultFile: config.vaultKeyFile, demoUrl: config.demoExchangeUrl, leaseTtlMs: config.BOT_LEASE_TTL_MS, databaseUrl: config.databaseUrl, retentionDays: config.EVENT_RETENTION_DAYS, alerts: { policy: config.ALERTS_PRIVATE_ADDRESSES, baseUrl: config.KEYWARD_PUBLIC_URL } });
  await worker.start();
  log.info({ database: describeDatabase(config.databaseUrl) }, "worker ready");

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "worker shutting down");
    // within 10 s: ticks in flight get 4 s, then leases are released and the process exits
    shutdownWithDeadline(async () => {
      await worker.stop(4000);
      await db().$disconnect();
    }, 8000);
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
  // Under `npm start`, follow the supervisor if it is killed outright.
  if (process.env.KEYWARD_SUPERVISED === "1") onParentExit(() => shutdown("supervisor exited"));
}

main().catch((err) => {
  if (err instanceof EnvError || err instanceof VaultKeyError) {
    console.error(`Worker refused to start: ${err.message}`);
    process.exit(exitConfigError);
  }
  log.fatal({ err: errorSummary(err) }, "worker failed to start");
  process.exit(1);
});
