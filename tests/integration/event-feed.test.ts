/**
 * The live event feed on a real SQLite file and a real PostgreSQL: every row
 * reaches a subscriber once and in id order, resuming from an id repeats and
 * skips nothing while writers keep writing, and (PostgreSQL) a row whose
 * transaction commits after a later id's is not skipped.
 */
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { EventDTO } from "@/lib/bot-settings/dto";
import { EventFeed } from "@/lib/live/event-feed";
import { databaseKinds, useTestDatabase } from "../helpers/databases";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function collector() {
  const got: EventDTO[] = [];
  return { got, send: (events: EventDTO[]) => got.push(...events) };
}

async function until(cond: () => boolean, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(20);
  }
}

describe.each(databaseKinds)("event feed on %s", (kind) => {
  const t = useTestDatabase(kind);
  let feed: EventFeed | null = null;
  afterEach(async () => {
    await feed?.close();
    feed = null;
  });
  const open = (gapWaitMs = 1000) => (feed = new EventFeed(t.db, { listenUrl: kind === "postgres" ? t.url : undefined, pollMs: kind === "postgres" ? 2000 : 50, gapWaitMs }));
  const write = (n: number, kind_ = "order.new", botId: string | null = null) => t.db.botEvent.createMany({ data: Array.from({ length: n }, (_, i) => ({ botId, kind: kind_, message: `m${i}` })) });
  const notifyPg = () => (kind === "postgres" ? t.db.$executeRawUnsafe("SELECT pg_notify('keyward_events', '')") : Promise.resolve());

  it("delivers new rows once, in order, and none written before a fresh subscription", async () => {
    await write(3);
    const f = open();
    const c = collector();
    const unsubscribe = await f.subscribe({}, null, c.send);
    for (let i = 0; i < 10; i++) {
      await write(5, i % 2 ? "trade" : "order.update");
      await notifyPg();
    }
    await until(() => c.got.length >= 50);
    await sleep(200);
    expect(c.got).toHaveLength(50);
    const ids = c.got.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(50);
    expect(c.got.filter((e) => e.type === "trade")).toHaveLength(25);
    unsubscribe();
    expect(f.subscribers).toBe(0);
  });

  it("resumes after an id without a gap or a repeat while writers keep writing", async () => {
    const f = open();
    const first = collector();
    const stop1 = await f.subscribe({}, null, first.send);
    await write(20);
    await notifyPg();
    await until(() => first.got.length === 20);
    const resumeAfter = first.got[9]!.id;
    stop1();

    const writing = (async () => {
      for (let i = 0; i < 20; i++) {
        await write(3);
        await notifyPg();
        await sleep(5);
      }
    })();
    const resumed = collector();
    await f.subscribe({}, resumeAfter, resumed.send);
    await writing;
    await notifyPg();
    await until(() => resumed.got.length === 10 + 60);
    await sleep(200);
    const ids = resumed.got.map((e) => e.id);
    expect(ids[0]).toBe(resumeAfter + 1);
    expect(ids).toEqual(Array.from({ length: 70 }, (_, i) => resumeAfter + 1 + i));
  });

  it("filters by bot and by type, also when catching up", async () => {
    const bot = await t.db.bot.create({ data: { name: "feed-filter", exchange: "demo", symbol: "BTC/USDT", strategy: "dca", maxOrderNotional: "10", maxDailyLoss: "10" } });
    const f = open();
    const before = (await t.db.botEvent.findFirst({ orderBy: { id: "desc" } }))?.id ?? 0;
    await write(2, "trade", bot.id);
    await write(2, "order.new", bot.id);
    await write(2, "trade", null);
    await notifyPg();
    const c = collector();
    await f.subscribe({ botId: bot.id, types: new Set(["trade"]) }, before, c.send);
    await write(1, "trade", bot.id);
    await write(1, "trade", null);
    await notifyPg();
    await until(() => c.got.length >= 3);
    await sleep(200);
    expect(c.got.map((e) => [e.botId, e.type])).toEqual([
      [bot.id, "trade"],
      [bot.id, "trade"],
      [bot.id, "trade"],
    ]);
  });
});

describe("event feed on postgres: commit order", () => {
  const t = useTestDatabase("postgres");
  const c = collector();
  let feed: EventFeed;
  afterAll(() => feed?.close());
  const notifyPg = () => t.db.$executeRawUnsafe("SELECT pg_notify('keyward_events', '')");

  it("holds back a later id until an earlier, slower transaction commits, and passes a rolled-back id after the wait", async () => {
    feed = new EventFeed(t.db, { listenUrl: t.url, pollMs: 2000, gapWaitMs: 800 });
    await feed.subscribe({}, null, c.send);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let slowId = 0;
    const slow = t.db.$transaction(async (tx) => {
      slowId = (await tx.botEvent.create({ data: { kind: "order.new", message: "slow" } })).id;
      await held;
    }, { timeout: 10_000 });
    await until(() => slowId > 0);
    const fast = await t.db.botEvent.create({ data: { kind: "order.new", message: "fast" } });
    expect(fast.id).toBeGreaterThan(slowId);
    await notifyPg();
    await sleep(400);
    expect(c.got).toHaveLength(0); // the later id waits for the earlier one
    release();
    await slow;
    await notifyPg();
    await until(() => c.got.length === 2);
    expect(c.got.map((e) => e.message)).toEqual(["slow", "fast"]);

    // a transaction that rolls back leaves a hole that never fills: the rows after it still come, once
    await t.db.$transaction(async (tx) => {
      await tx.botEvent.create({ data: { kind: "order.new", message: "rolled back" } });
      throw new Error("roll back");
    }).catch(() => undefined);
    await t.db.botEvent.create({ data: { kind: "order.new", message: "after the hole" } });
    await notifyPg();
    await until(() => c.got.length === 3, 3000);
    expect(c.got[2]!.message).toBe("after the hole");
  });
});
