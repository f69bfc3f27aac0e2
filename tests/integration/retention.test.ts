/** Old bot events and finished alert deliveries are forgotten; the rest — and every order and fill — stays. */
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

    expect(await forgetOld(t.db, 90, now)).toEqual({ events: 6001, alerts: 2 });
    expect((await t.db.botEvent.findMany({ select: { message: true } })).map((e) => e.message)).toEqual(["recent"]);
    expect((await t.db.alert.findMany({ orderBy: { dedupeKey: "asc" }, select: { dedupeKey: true } })).map((a) => a.dedupeKey)).toEqual(["c", "d"]);
  });
});
