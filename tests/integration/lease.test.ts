import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { acquireLease, holdsLease, releaseLease, renewLease, renewLeases } from "@/lib/bots/lease";
import { createDb } from "@/lib/db/client";
import { EventBuffer } from "@/lib/bots/events";
import { FencingError, LeaseHold } from "@/lib/bots/lease-hold";
import { OrderManager } from "@/lib/bots/order-manager";
import { PaperGateway } from "@/lib/bots/paper-gateway";
import { createLogger } from "@/lib/log";
import { databaseKinds, useTestDatabase } from "../helpers/databases";

const quiet = createLogger(new Writable({ write: (_c, _e, cb) => cb() }));

describe.each(databaseKinds)("bot leases on %s", (kind) => {
  const t = useTestDatabase(kind);
  let n = 0;
  const newBot = async () => (await t.db.bot.create({ data: { name: `b${++n}`, exchange: "demo", symbol: "BTC/USDT", strategy: "dca", maxOrderNotional: "1", maxDailyLoss: "1" } })).id;

  it("ten workers racing for one bot: exactly one wins", async () => {
    const botId = await newBot();
    // separate clients, as separate worker processes would have
    const clients = Array.from({ length: 10 }, () => createDb(t.url));
    try {
      const results = await Promise.all(clients.map((c, i) => acquireLease(c, botId, `w${i}`, 10_000)));
      const winners = results.filter(Boolean);
      expect(winners).toHaveLength(1);
      expect(winners[0]!.fencingToken).toBe(1);
    } finally {
      await Promise.all(clients.map((c) => c.$disconnect()));
    }
  });

  it("the holder renews; after expiry another worker takes over with a higher token and the old holder is fenced out", async () => {
    const botId = await newBot();
    const t0 = new Date("2030-01-01T00:00:00Z");
    const a = (await acquireLease(t.db, botId, "A", 10_000, t0))!;
    expect(await acquireLease(t.db, botId, "B", 10_000, new Date(t0.getTime() + 1000))).toBeNull();
    expect(await renewLease(t.db, a, 10_000, new Date(t0.getTime() + 5000))).toBe(true);
    expect(await holdsLease(t.db, a, new Date(t0.getTime() + 14_000))).toBe(true);

    // A stops renewing (paused, partitioned); its lease expires and B takes it
    const later = new Date(t0.getTime() + 16_000);
    const b = (await acquireLease(t.db, botId, "B", 10_000, later))!;
    expect(b.fencingToken).toBe(a.fencingToken + 1);
    expect(await holdsLease(t.db, a, later)).toBe(false);
    expect(await renewLease(t.db, a, 10_000, later)).toBe(false);
    expect(await holdsLease(t.db, b, later)).toBe(true);

    // a graceful release frees it at once; the next owner's token is higher again
    await releaseLease(t.db, b);
    const c = (await acquireLease(t.db, botId, "C", 10_000, new Date(later.getTime() + 1)))!;
    expect(c.fencingToken).toBe(b.fencingToken + 1);
  });

  it("a runner's events are written while the lease row is its own; frozen past its check and its bot taken meanwhile, none", async () => {
    const botId = await newBot();
    const t0 = new Date("2030-01-02T00:00:00Z");
    // A's clock says it holds the lease (its check passes: it was frozen, and has not looked at the clock since)
    const hold = new LeaseHold((await acquireLease(t.db, botId, "A", 10_000, t0))!, 3_600_000);
    const events = new EventBuffer();
    const tick = (message: string) => events.push({ botId, kind: "order.update", message });
    tick("while A owns it");
    await events.flush(t.db, hold);
    await acquireLease(t.db, botId, "B", 10_000, new Date(t0.getTime() + 11_000)); // expired while A was frozen: B's now
    tick("after B took it");
    await expect(events.flush(t.db, hold)).rejects.toBeInstanceOf(FencingError);
    expect(hold.held()).toBe(false);
    expect((await t.db.botEvent.findMany({ where: { botId } })).map((e) => e.message)).toEqual(["while A owns it"]);
  });

  it("new rows — an order's row before its request, its fills — are written only while the lease row is the runner's own; after a takeover nothing is written or sent", async () => {
    const botId = await newBot();
    const t0 = new Date("2030-01-04T00:00:00Z");
    const hold = new LeaseHold((await acquireLease(t.db, botId, "A", 10_000, t0))!, 3_600_000);
    const paper = new PaperGateway({ symbol: "BTC/USDT", base: "BTC", quote: "USDT" }, { USDT: "1000" }, []);
    paper.observe("100");
    const om = new OrderManager({ db: t.db, log: quiet, bot: { id: botId, exchange: "demo", symbol: "BTC/USDT", keyId: null }, gateway: paper, hold, events: new EventBuffer(), onFill: () => undefined });
    const first = await om.place({ side: "buy", type: "limit", amount: "1", price: "90", reason: "A's" });
    expect(first.outcome).toBe("accepted");
    await acquireLease(t.db, botId, "B", 10_000, new Date(t0.getTime() + 11_000)); // B's now; A's clock does not know
    // the order's row is refused, so its request never leaves
    await expect(om.place({ side: "buy", type: "limit", amount: "1", price: "80", reason: "after B took it" })).rejects.toBeInstanceOf(FencingError);
    expect((await paper.openOrders()).map((o) => o.price)).toEqual(["90"]);
    // A's order fills at the (paper) exchange: the fill is B's to record, not A's
    const fills = paper.observe("85", "85", "100");
    expect(fills).toHaveLength(1);
    await expect(om.recordTrades(fills)).rejects.toBeInstanceOf(FencingError);
    expect((await t.db.order.findMany({ where: { botId } })).map((o) => o.reason)).toEqual(["A's"]);
    expect(await t.db.trade.count({ where: { botId } })).toBe(0);
  });

  it("the bot row and its order rows are updated only while the lease row is the runner's own; after a takeover the write is refused", async () => {
    const botId = await newBot();
    const t0 = new Date("2030-01-03T00:00:00Z");
    const hold = new LeaseHold((await acquireLease(t.db, botId, "A", 10_000, t0))!, 10_000);
    const order = await t.db.order.create({ data: { botId, clientOrderId: `c-${botId}`, symbol: "BTC/USDT", side: "buy", type: "limit", price: "1", amount: "1", status: "open", fencingToken: hold.fencingToken } });
    const write = async (status: string) => {
      hold.assertWritten((await t.db.bot.updateMany({ where: { id: botId, lease: hold.leaseRow }, data: { statusMessage: status } })).count);
      hold.assertWritten((await t.db.order.updateMany({ where: { id: order.id, bot: { lease: hold.leaseRow } }, data: { status } })).count);
    };
    await write("canceled");
    await acquireLease(t.db, botId, "B", 10_000, new Date(t0.getTime() + 11_000)); // B's now; A's clock may not know yet
    await expect(write("closed")).rejects.toBeInstanceOf(FencingError);
    expect(hold.held()).toBe(false); // and it knows now
    expect((await t.db.order.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("canceled");
    expect((await t.db.bot.findUniqueOrThrow({ where: { id: botId } })).statusMessage).toBe("canceled");
  });

  it("a renewal already under way when the lease is released does not extend it again: the next worker takes it at once", async () => {
    const botId = await newBot();
    const a = (await acquireLease(t.db, botId, "A", 10_000))!;
    const renewalClock = new Date(); // the renewal reads the clock…
    await new Promise((r) => setTimeout(r, 5));
    await releaseLease(t.db, a); // …and its statement lands after the release
    expect(await renewLeases(t.db, "A", [a], 10_000, renewalClock)).toEqual(new Set());
    expect(await renewLease(t.db, a, 10_000, renewalClock)).toBe(false);
    expect((await acquireLease(t.db, botId, "B", 10_000))?.fencingToken).toBe(a.fencingToken + 1);
  });

  it("a worker renews all its leases in one statement; the ones another worker took are reported lost, not renewed", async () => {
    const t0 = new Date("2031-01-01T00:00:00Z");
    const ids = [await newBot(), await newBot(), await newBot()];
    const mine = await Promise.all(ids.map((id) => acquireLease(t.db, id, "W", 10_000, t0)));
    // W was frozen: its second lease expired and X took it
    const later = new Date(t0.getTime() + 12_000);
    await acquireLease(t.db, ids[1]!, "X", 10_000, later);
    // (W's other two leases expired too, but nobody took them: W cannot renew an expired lease either)
    expect(await renewLeases(t.db, "W", mine.map((l) => l!), 10_000, later)).toEqual(new Set());
    const fresh = await Promise.all([ids[0]!, ids[2]!].map((id) => acquireLease(t.db, id, "W", 10_000, later)));
    const renewed = await renewLeases(t.db, "W", [fresh[0]!, mine[1]!, fresh[1]!], 10_000, new Date(later.getTime() + 5000));
    expect(renewed).toEqual(new Set([ids[0], ids[2]]));
    expect(await holdsLease(t.db, fresh[0]!, new Date(later.getTime() + 14_000))).toBe(true);
  });
});
