/**
 * Issue 9: two real worker processes on PostgreSQL share 50 live bots; one is
 * killed with SIGKILL and the other takes its bots over; the lease history
 * shows no bot with two owners at once, and the exchange agrees with Keyward.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadVault } from "@/lib/vault/keyring";
import { compareWithExchange, demoBot, setDesired, waitUntil, type TestBot } from "../helpers/bots";
import { useTestDatabase } from "../helpers/databases";
import { startDemo, type RunningDemo } from "../helpers/demo-exchange";
import { startWorker, type WorkerProcess } from "../helpers/worker-process";

describe("issue 9: two workers on PostgreSQL", () => {
  const t = useTestDatabase("postgres");
  let d: RunningDemo;
  let dir: string;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    d = await startDemo();
    dir = mkdtempSync(path.join(os.tmpdir(), "keyward-w2-"));
    await loadVault(t.db, path.join(dir, "vault.key"));
  });
  afterAll(async () => {
    for (const w of workers) w.signal("SIGKILL");
    await d.close();
  });
  const worker = (id: string) => {
    const w = startWorker({ DATABASE_URL: t.url, KEYWARD_VAULT_KEY_FILE: path.join(dir, "vault.key"), DEMO_EXCHANGE_URL: d.url, KEYWARD_DATA_DIR: dir, BOT_LEASE_TTL_MS: "15000" }, id);
    workers.push(w);
    return w;
  };
  const byWorker = async (bots: TestBot[]) => {
    const rows = await t.db.bot.findMany({ where: { id: { in: bots.map((b) => b.botId) } } });
    const counts: Record<string, number> = {};
    for (const r of rows) if (r.status === "running" && r.workerId) counts[r.workerId] = (counts[r.workerId] ?? 0) + 1;
    return counts;
  };

  it("50 bots split between two workers; kill -9 one and the other runs all of them within 30 s; no bot ever had two owners; orders and fills one to one", { timeout: 300_000 }, async () => {
    const bots: TestBot[] = [];
    for (let i = 0; i < 50; i++) bots.push(await demoBot(t.db, d, { strategy: "market-maker", params: { spreadPct: "0.05", orderQuote: "12", maxInventoryQuote: "40" }, tickSeconds: 2 }));
    for (const b of bots) await setDesired(t.db, b.botId, "running");
    const a = worker("worker-a");
    await waitUntil("worker A runs all 50", async () => (await byWorker(bots))["worker-a"] === 50, 120_000);
    const b = worker("worker-b");
    // A hands over its surplus; B takes it: no more than the fair share (25 + 1) each
    const split = await waitUntil("the bots split", async () => { const c = await byWorker(bots); return (c["worker-a"] ?? 0) + (c["worker-b"] ?? 0) === 50 && (c["worker-b"] ?? 0) >= 24 ? c : undefined; }, 90_000);
    expect(split["worker-a"]).toBeLessThanOrEqual(26);
    expect(split["worker-b"]).toBeLessThanOrEqual(26);

    await new Promise((r) => setTimeout(r, 5000)); // both trade for a while
    a.signal("SIGKILL");
    await a.exited;
    const killedAt = Date.now();
    await waitUntil("worker B runs all 50", async () => (await byWorker(bots))["worker-b"] === 50, 30_000);
    expect(Date.now() - killedAt).toBeLessThan(30_000);

    // the lease history: fencing tokens only grow, and no order was written under a token after the next owner took the bot
    for (const bot of bots) {
      const takes = (await t.db.botEvent.findMany({ where: { botId: bot.botId, kind: "lease.acquired" }, orderBy: { id: "asc" } })).map((e) => ({ at: e.createdAt, ...(JSON.parse(e.data) as { workerId: string; fencingToken: number }) }));
      expect(takes.map((x) => x.fencingToken)).toEqual([...takes.map((x) => x.fencingToken)].sort((p, q) => p - q));
      expect(new Set(takes.map((x) => x.fencingToken)).size).toBe(takes.length);
      const orders = await t.db.order.findMany({ where: { botId: bot.botId }, select: { fencingToken: true, createdAt: true, clientOrderId: true } });
      for (const [i, take] of takes.entries()) {
        const next = takes[i + 1];
        if (!next) continue;
        const late = orders.filter((o) => o.fencingToken === take.fencingToken && o.createdAt > next.at);
        expect(late.map((o) => o.clientOrderId), `bot ${bot.botId}: written under token ${take.fencingToken} after ${next.workerId} took it`).toEqual([]);
      }
    }
    for (const bt of bots) await setDesired(t.db, bt.botId, "stopped");
    await waitUntil("all stopped", async () => (await t.db.bot.count({ where: { id: { in: bots.map((x) => x.botId) }, status: "stopped" } })) === 50, 120_000);
    for (const bt of bots) {
      const c = await compareWithExchange(t.db, bt.botId, bt.client, "DEMO/USDT");
      expect({ missing: c.missing, extra: c.extra, mismatched: c.mismatched, tradesMissing: c.tradesMissing, tradesExtra: c.tradesExtra, pending: c.pending, open: c.open }, bt.botId).toEqual({ missing: [], extra: [], mismatched: [], tradesMissing: [], tradesExtra: [], pending: 0, open: 0 });
    }
    b.signal("SIGTERM");
    await b.exited;
  });
});
