/**
 * Issue 9: a worker frozen with SIGSTOP past its lease TTL, whose bots were
 * taken meanwhile, sends no request under its lost lease once resumed — proven
 * by the demo exchange's request log — and writes no trading state.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fenceTransport } from "@/lib/bots/gateway";
import { acquireLease } from "@/lib/bots/lease";
import type { Db } from "@/lib/db/client";
import { FencingError, LeaseHold } from "@/lib/bots/lease-hold";
import { openExchange } from "@/lib/exchange/open";
import { loadVault } from "@/lib/vault/keyring";
import { demoBot, setDesired, waitUntil } from "../helpers/bots";
import { useTestDatabase } from "../helpers/databases";
import { startDemo, type RunningDemo } from "../helpers/demo-exchange";
import { startWorker, type WorkerProcess } from "../helpers/worker-process";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * SIGSTOP the worker between two of its writes. Frozen inside one, it holds SQLite's write lock:
 * nothing else can write (so nothing can take its bots, and there is nothing to fence) until it
 * resumes. A write of our own that goes through shows the lock is free; else thaw it and try again.
 */
async function freezeBetweenWrites(w: WorkerProcess, db: Db): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    w.signal("SIGSTOP");
    const probe = db.lease.updateMany({ where: { botId: "no-such-bot" }, data: { owner: "probe" } }).then(
      () => true,
      () => false,
    );
    if (await Promise.race([probe, sleep(1000).then(() => false)])) return;
    w.signal("SIGCONT");
    await probe;
    if (attempt === 5) throw new Error("The worker held the database's write lock at each of 5 freezes.");
    await sleep(300);
  }
}

describe("issue 9: fencing against a frozen worker", () => {
  const t = useTestDatabase("sqlite");
  let d: RunningDemo;
  let w: WorkerProcess | undefined;
  beforeAll(async () => {
    d = await startDemo();
  });
  afterAll(async () => {
    w?.signal("SIGKILL");
    await d.close();
  });

  it("frozen with SIGSTOP past its lease, its bots taken, resumed: not one request with their keys, not one row written", { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "keyward-stop-"));
    await loadVault(t.db, path.join(dir, "vault.key"));
    const bots = [await demoBot(t.db, d, { strategy: "market-maker", params: { spreadPct: "0.05", orderQuote: "12", maxInventoryQuote: "40" } }), await demoBot(t.db, d, { strategy: "grid", params: { lower: "0.8", upper: "2", levels: 60, orderQuote: "12" } })];
    for (const b of bots) await setDesired(t.db, b.botId, "running");
    w = startWorker({ DATABASE_URL: t.url, KEYWARD_VAULT_KEY_FILE: path.join(dir, "vault.key"), DEMO_EXCHANGE_URL: d.url, KEYWARD_DATA_DIR: dir, BOT_LEASE_TTL_MS: "4000" }, "frozen");
    await waitUntil("trading", async () => (await t.db.order.count({ where: { botId: { in: bots.map((b) => b.botId) } } })) >= 2, 60_000);

    await freezeBetweenWrites(w, t.db);
    await sleep(6000); // well past the 4 s lease
    for (const b of bots) expect(await acquireLease(t.db, b.botId, "someone-else", 120_000)).not.toBeNull(); // the bots are someone else's now
    const { last } = await d.admin<{ last: number }>("GET", "/_demo/requests?since=0&key=none");
    const rowsBefore = await t.db.order.count();
    const eventsBefore = await t.db.botEvent.count({ where: { kind: { in: ["order.new", "order.update", "trade", "bot.status", "balance"] } } });

    w.signal("SIGCONT");
    await waitUntil("the worker saw it lost its bots", async () => (await t.db.botEvent.count({ where: { kind: "lease.lost", botId: { in: bots.map((b) => b.botId) } } })) === bots.length, 30_000);
    await sleep(3000);
    for (const b of bots) {
      const { requests } = await d.admin<{ requests: { path: string }[] }>("GET", `/_demo/requests?since=${last}&key=${b.apiKey}`);
      expect(requests.map((r) => r.path), `requests with ${b.botId}'s key after its lease was lost`).toEqual([]);
    }
    expect(await t.db.order.count()).toBe(rowsBefore);
    expect(await t.db.botEvent.count({ where: { kind: { in: ["order.new", "order.update", "trade", "bot.status", "balance"] } } })).toBe(eventsBefore);
  });

  it("the transport checks the hold again where undici writes: lost after ccxt's own check, nothing is sent — on a kept-alive socket or a new one", async () => {
    /** A hold that stays held for the next `checksLeft` checks only: where a freeze between two checks would leave it. */
    class LostAfter extends LeaseHold {
      checksLeft = Infinity;
      override held(): boolean {
        return this.checksLeft-- > 0;
      }
    }
    const credentials = await d.key(await d.account({ USDT: "1000" }), { read: true, trade: true });
    const hold = new LostAfter({ botId: "fenced", owner: "test", fencingToken: 1, expiresAt: new Date() }, 60_000);
    const ex = await openExchange({ exchange: "demo", credentials, demoUrl: d.url, timeoutMs: 10_000 });
    await fenceTransport(ex, hold);
    const sent = async (since: number) => (await d.admin<{ requests: { path: string }[] }>("GET", `/_demo/requests?since=${since}&key=${credentials.apiKey}`)).requests.map((r) => r.path);
    const { last } = await d.admin<{ last: number }>("GET", "/_demo/requests?since=0&key=none");

    // no socket yet: ccxt's check and the dispatch pass; the hold is lost while the socket connects
    hold.checksLeft = 2;
    await expect(ex.fetchBalance()).rejects.toBeInstanceOf(FencingError);
    expect(await sent(last)).toEqual([]);

    hold.checksLeft = Infinity;
    await ex.fetchBalance(); // leaves a kept-alive socket
    expect(await sent(last)).toEqual(["/api/v3/account"]);
    // an idle socket: ccxt's check passes; the hold is lost before undici writes on it
    hold.checksLeft = 1;
    await expect(ex.createOrder("BTC/USDT", "market", "buy", 0.001)).rejects.toBeInstanceOf(FencingError);
    expect(await sent(last)).toEqual(["/api/v3/account"]);
    await ex.close();
  });
});
