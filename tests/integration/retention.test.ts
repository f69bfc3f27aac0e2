/** Old bot events, finished alert deliveries and repeated balance rows are forgotten; the rest — and every order and fill — stays. */
import { describe, expect, it } from "vitest";
import { forgetOld } from "@/lib/bots/retention";
import { databaseKinds, useTestDatabase } from "../helpers/databases";

describe.each(databaseKinds)("retention on %s", (kind) => {
  const t = useTestDatabase(kind);

  it("deletes events and finished alerts older than the retention, in batches; keeps newer ones and alerts still to send", async () => {
    const day = 86_400_000;
    const now = new Date("2026-12-04T12:00:00Z");
    const old = new Date(now.getTime() - 91 * day);
    const recent = new Date(now.getTime() - 89 * day);
    await t.db.botEvent.createMany({ data: Array.from({ length: 6001 }, (_, i) => ({ kind: "bot.status", message: `old ${i}`, createdAt: old })) });
    await t.db.botEvent.create({ data: { kind: "bot.status", message: "recent", createdAt: recent } });
    const channel = await t.db.alertChannel.create({ data: { name: "c", type: "webhook", events: "[]" } });
    const alert = (status: string, createdAt: Date, key: string) => ({ channelId: channel.id, event: "bot.error", severity: "critical", subjectType: "bot", subjectLabel: "b", message: "m", dedupeKey: key, status, dueAt: createdAt, nextAttemptAt: createdAt, occurredAt: createdAt, createdAt });
    await t.db.alert.createMany({ data: [alert("sent", old, "a"), alert("failed", old, "b"), alert("pending", old, "c"), alert("sent", recent, "d")] });

    expect(await forgetOld(t.db, 90, now)).toEqual({ events: 6001, alerts: 2, balances: 0 });
    expect((await t.db.botEvent.findMany({ select: { message: true } })).map((e) => e.message)).toEqual(["recent"]);
    expect((await t.db.alert.findMany({ orderBy: { dedupeKey: "asc" }, select: { dedupeKey: true } })).map((a) => a.dedupeKey)).toEqual(["c", "d"]);
  });

  it("thins balance rows older than the retention to each day's first row and the changes, per bot and currency; keeps newer ones", async () => {
    const day = 86_400_000;
    const now = new Date("2027-03-10T12:00:00Z");
    const dayA = Date.parse("2026-12-01T00:00:00Z"); // 99 days before now; day B after it
    const keyId = "key-1";
    const bot = (id: string) => ({ id, name: id, exchange: "demo", symbol: "DEMO/USDT", strategy: "dca", maxOrderNotional: "10", maxDailyLoss: "10" });
    await t.db.bot.createMany({ data: [bot("bot-1"), bot("bot-2")] });
    const row = (botId: string, currency: string, total: string, at: number, paper = false) => ({ botId, keyId, currency, free: total, used: "0", total, paper, takenAt: new Date(at) });
    const minute = 60_000;
    const usdt = ["100", "100", "100", "90", "90", "100", "100"]; // a buy, a sell back, heartbeats in between
    await t.db.balanceSnapshot.createMany({
      data: [
        ...usdt.map((v, i) => row("bot-1", "USDT", v, dayA + i * minute)),
        ...usdt.map((_, i) => row("bot-1", "DEMO", "5", dayA + i * minute)),
        ...usdt.map((_, i) => row("bot-2", "USDT", "100", dayA + i * minute + 1000)), // another bot's rows are not repeats of bot-1's
        row("bot-1", "USDT", "100", dayA + 2 * minute, true), // a paper row among the live ones
        row("bot-1", "USDT", "100", dayA + day), // day B: the same as day A's last, but the day's first
        row("bot-1", "USDT", "100", dayA + day + minute),
        row("bot-1", "USDT", "100", now.getTime() - 89 * day), // within the retention: all kept
        row("bot-1", "USDT", "100", now.getTime() - 89 * day + minute),
      ],
    });
    const s = (ms: number) => `+${ms / 1000}s`;
    const left = async () => (await t.db.balanceSnapshot.findMany({ orderBy: [{ botId: "asc" }, { currency: "asc" }, { paper: "asc" }, { takenAt: "asc" }] })).map((r) => `${r.botId} ${r.currency}${r.paper ? " paper" : ""} ${r.total} ${s(r.takenAt.getTime() - dayA)}`);

    expect((await forgetOld(t.db, 90, now)).balances).toBe(4 + 6 + 6 + 1);
    const recent = now.getTime() - 89 * day - dayA;
    expect(await left()).toEqual([
      `bot-1 DEMO 5 ${s(0)}`,
      ...[[100, 0], [90, 3 * minute], [100, 5 * minute], [100, day], [100, recent], [100, recent + minute]].map(([v, at]) => `bot-1 USDT ${v} ${s(at!)}`),
      `bot-1 USDT paper 100 ${s(2 * minute)}`,
      `bot-2 USDT 100 ${s(1000)}`,
    ]);
    // a day is thinned once: the next pass has nothing to do
    expect((await forgetOld(t.db, 90, new Date(now.getTime() + day))).balances).toBe(0);
  });
});
