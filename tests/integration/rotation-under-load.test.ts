/**
 * A vault rotation while live bots trade in the same worker (SQLite, the
 * default install): every rotation is answered, heartbeats go on, bots keep
 * running, and no stored secret is left on a retired key. Written after one
 * e2e run saw a worker stop answering mid-rotation (issue note of 2026-12-04).
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { askWorker } from "@/lib/keys/worker-command";
import { loadVault } from "@/lib/vault/keyring";
import { demoBot, setDesired, waitUntil } from "../helpers/bots";
import { useTestDatabase } from "../helpers/databases";
import { startDemo, type RunningDemo } from "../helpers/demo-exchange";
import { startWorker, type WorkerProcess } from "../helpers/worker-process";

/** ROTATION_ROUNDS=100 for a longer soak */
const rounds = Number(process.env.ROTATION_ROUNDS ?? 10);

describe("vault rotation under load on sqlite", () => {
  const t = useTestDatabase("sqlite");
  let d: RunningDemo;
  let w: WorkerProcess | undefined;
  beforeAll(async () => {
    d = await startDemo();
  });
  afterAll(async () => {
    w?.signal("SIGKILL");
    await w?.exited;
    await d.close();
  });

  it(`${rounds} rotations while three live bots trade: each answered, heartbeats and bots go on, nothing left on a retired key`, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "keyward-rotate-"));
    const vaultFile = path.join(dir, "vault.key");
    await loadVault(t.db, vaultFile);
    const mm = () => demoBot(t.db, d, { strategy: "market-maker", params: { spreadPct: "0.05", orderQuote: "15", maxInventoryQuote: "60" }, tickSeconds: 1 });
    const bots = [await mm(), await mm(), await mm()];
    for (let i = 0; i < 6; i++) await demoBot(t.db, d, { strategy: "dca", mode: "paper" }); // keys with idle bots: more to rewrap
    w = startWorker({ DATABASE_URL: t.url, KEYWARD_VAULT_KEY_FILE: vaultFile, DEMO_EXCHANGE_URL: d.url, KEYWARD_DATA_DIR: dir }, "rotator");
    for (const b of bots) await setDesired(t.db, b.botId, "running");
    await waitUntil("three bots running", async () => ((await t.db.bot.count({ where: { status: "running", id: { in: bots.map((b) => b.botId) } } })) === 3 ? true : undefined), 30_000);

    for (let round = 1; round <= rounds; round++) {
      const beatBefore = (await t.db.workerHeartbeat.findUniqueOrThrow({ where: { workerId: "rotator" } })).lastBeatAt;
      const result = await askWorker(t.db, { kind: "vault-rotate", createdById: null }, 20_000);
      expect(result, `rotation ${round}; worker output:\n${w.output().slice(-2000)}`).toMatch(new RegExp(`vault key v${round + 1} is primary; 9 stored key\\(s\\) rewrapped; retired: v${round}`));
      await waitUntil("a newer heartbeat", async () => ((await t.db.workerHeartbeat.findUniqueOrThrow({ where: { workerId: "rotator" } })).lastBeatAt > beatBefore ? true : undefined), 5_000);
    }
    expect(await t.db.exchangeKey.count({ where: { vaultKeyVersion: { not: rounds + 1 } } })).toBe(0);
    expect(await t.db.bot.count({ where: { status: "running", id: { in: bots.map((b) => b.botId) } } })).toBe(3);
    // the bots still trade with their keys after ten rewraps
    const before = await t.db.order.count({ where: { botId: { in: bots.map((b) => b.botId) } } });
    await waitUntil("new orders after the rotations", async () => ((await t.db.order.count({ where: { botId: { in: bots.map((b) => b.botId) } } })) > before ? true : undefined), 20_000);
  }, 180_000);
});
