/**
 * The bot runtime in-process (supervisor, runners, order manager) against the
 * real demo exchange through the real ccxt binance class, on SQLite and
 * PostgreSQL. Process-level drills (kill -9, faults, restarts) are in bot-drills.test.ts.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Supervisor } from "@/lib/bots/supervisor";
import { createLogger } from "@/lib/log";
import { loadVault } from "@/lib/vault/keyring";
import type { Keyring } from "@/lib/vault/open";
import { compareWithExchange, balancesDisagree, demoBot, setDesired, waitUntil } from "../helpers/bots";
import { databaseKinds, useTestDatabase } from "../helpers/databases";
import { startDemo, type RunningDemo } from "../helpers/demo-exchange";

const quiet = createLogger(new Writable({ write: (_c, _e, cb) => cb() }));

describe.each(databaseKinds)("bot runtime on %s", (kind) => {
  const t = useTestDatabase(kind);
  let d: RunningDemo;
  let keyring: Keyring;
  let supervisor: Supervisor;
  let timer: NodeJS.Timeout;
  beforeAll(async () => {
    d = await startDemo();
    ({ keyring } = await loadVault(t.db, path.join(mkdtempSync(path.join(os.tmpdir(), "keyward-rt-")), "vault.key")));
    supervisor = new Supervisor({ db: t.db, log: quiet, workerId: `w-${kind}`, demoUrl: d.url, keyring: () => keyring, leaseTtlMs: 15_000 });
    timer = setInterval(() => void supervisor.pass().catch(() => undefined), 300);
  });
  afterAll(async () => {
    clearInterval(timer);
    await supervisor.stop(2000);
    await d.close();
  });

  it("a live market maker trades; every order and fill at the exchange is in Keyward once, statuses and fills agree; stop cancels its orders", async () => {
    const b = await demoBot(t.db, d, { strategy: "market-maker", params: { spreadPct: "0.05", orderQuote: "15", maxInventoryQuote: "60" } });
    await setDesired(t.db, b.botId, "running");
    await waitUntil("running", async () => (await t.db.bot.findUniqueOrThrow({ where: { id: b.botId } })).status === "running", 15_000);
    await waitUntil("a fill", async () => (await t.db.trade.count({ where: { botId: b.botId } })) > 1, 40_000);
    await setDesired(t.db, b.botId, "stopped");
    const bot = await waitUntil("stopped", async () => { const r = await t.db.bot.findUniqueOrThrow({ where: { id: b.botId } }); return r.status === "stopped" ? r : undefined; }, 30_000);
    expect(bot.workerId).toBe(`w-${kind}`);
    const c = await compareWithExchange(t.db, b.botId, b.client, "DEMO/USDT");
    expect(c.exchangeOrders).toBeGreaterThan(0);
    expect({ missing: c.missing, extra: c.extra, mismatched: c.mismatched, tradesMissing: c.tradesMissing, tradesExtra: c.tradesExtra, pending: c.pending, open: c.open }).toEqual({ missing: [], extra: [], mismatched: [], tradesMissing: [], tradesExtra: [], pending: 0, open: 0 });
    expect(await b.client.fetchOpenOrders("DEMO/USDT")).toEqual([]);
    expect(await balancesDisagree(t.db, b.botId, b.client)).toEqual([]);
    const kinds = (await t.db.botEvent.findMany({ where: { botId: b.botId }, select: { kind: true } })).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["lease.acquired", "bot.status", "order.new", "trade", "balance", "lease.released"]));
  });
});
