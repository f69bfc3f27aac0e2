/**
 * Issue 12, the delivery machinery against real databases and real local
 * servers: the digest (50 fills in a minute → a handful of messages), the
 * outbox across a channel outage, the web's fallback sender (only channels
 * without a secret), Telegram's Bot API and SMTP.
 */
import { afterAll, describe, expect, it } from "vitest";
import { SMTPServer } from "smtp-server";
import type { AddressInfo } from "node:net";
import { alertEvents, type AlertInput } from "@/lib/alerts/catalog";
import { deliverDue } from "@/lib/alerts/deliver";
import { composeMessage } from "@/lib/alerts/message";
import { retryDelaysMs } from "@/lib/alerts/outbox";
import { raiseAlert } from "@/lib/alerts/raise";
import { dailySummary, expiringKeys } from "@/lib/alerts/scheduled";
import { raiseWorkersDown } from "@/lib/alerts/worker-down";
import { sendMessage } from "@/lib/alerts/send";
import { databaseKinds, useTestDatabase } from "../helpers/databases";
import { startReceiver, type Receiver } from "../helpers/webhook-receiver";

const fill = (i: number, at: Date): AlertInput => ({
  event: "order.filled", severity: "info", subject: { type: "bot", id: "bot-1", label: "grid-1" }, message: `grid-1: Filled buy 0.01 DEMO/USDT at ${100 + i}`, link: "/bots/bot-1", dedupeKey: `fill-${i}`, occurredAt: at,
});

describe.each(databaseKinds)("alert delivery on %s", (kind) => {
  const t = useTestDatabase(kind);
  const receivers: Receiver[] = [];
  afterAll(async () => {
    for (const r of receivers) await r.close();
  });

  async function webhookChannel(url: string, events: string[], extra: { secretSealed?: Uint8Array<ArrayBuffer> } = {}) {
    return t.db.alertChannel.create({ data: { name: "hook", type: "webhook", events: JSON.stringify(events), config: JSON.stringify({ url, format: "keyward" }), ...extra } });
  }

  it("50 order.filled alerts in a minute arrive as a handful of messages, every fill in one of them", async () => {
    const hook = await startReceiver();
    receivers.push(hook);
    const channel = await webhookChannel(hook.url, ["order.filled"]);
    const t0 = Date.parse("2026-12-04T10:00:00Z");
    for (let i = 0; i < 50; i++) {
      const now = new Date(t0 + i * 1200); // one fill every 1.2 s
      await raiseAlert(t.db, fill(i, now), { now });
      await deliverDue(t.db, { who: "test", policy: "loopback", now: () => now });
    }
    // ten minutes later the digest is due
    for (const minutes of [5, 11]) await deliverDue(t.db, { who: "test", policy: "loopback", now: () => new Date(t0 + minutes * 60_000) });
    const messages = hook.received.map((r) => JSON.parse(r.body) as { count: number; message: string });
    expect(messages.length).toBeGreaterThanOrEqual(2);
    expect(messages.length).toBeLessThanOrEqual(5);
    expect(messages.reduce((n, m) => n + m.count, 0)).toBe(50);
    expect(messages.at(-1)!.message).toMatch(/^Digest: 40 order.filled alerts/);
    expect(await t.db.alert.count({ where: { channelId: channel.id, status: "sent" } })).toBe(50);
  });

  it("worker.down says which bots set to run have no live worker now (none, once a restarted worker took them over)", async () => {
    const now = new Date();
    const beat = (workerId: string, agoMs: number) => t.db.workerHeartbeat.create({ data: { workerId, host: "h", pid: 1, version: "t", lastBeatAt: new Date(now.getTime() - agoMs) } });
    await beat("w-live", 5_000);
    await beat("w-dead", 90_000);
    const bot = (name: string, desiredState: string, workerId: string | null) => t.db.bot.create({ data: { name, exchange: "demo", symbol: "BTC/USDT", strategy: "dca", desiredState, workerId, maxOrderNotional: "100", maxDailyLoss: "100" } });
    await bot("alpha", "running", "w-live");
    const beta = await bot("beta", "paused", "w-dead");
    await bot("gamma", "stopped", null);
    await raiseWorkersDown(t.db, now);
    const down = () => t.db.botEvent.findMany({ where: { kind: "worker.down" }, orderBy: { id: "asc" } });
    expect((await down()).map((e) => e.message)).toEqual([
      'Worker w-dead (pid 1 on h) has sent no heartbeat for 90 s. 1 of the 2 bots set to run has no live worker now ("beta"): they move to a live worker when their lease expires; with none, they are not running. Check the process and its log.',
    ]);
    // the supervisor restarted the worker under a new id, which took beta over before the old one was noticed
    await t.db.bot.update({ where: { id: beta.id }, data: { workerId: "w-live" } });
    await beat("w-gone", 61_000);
    await raiseWorkersDown(t.db, now);
    expect((await down()).at(-1)!.message).toBe("Worker w-gone (pid 1 on h) has sent no heartbeat for 61 s. Every bot set to run (2) is on a live worker now. Check the process and its log.");
    await raiseWorkersDown(t.db, now); // once per worker
    expect(await t.db.botEvent.count({ where: { kind: "worker.down" } })).toBe(2);
  });

  it("an alert raised while its channel is down is kept and retried with backoff until it goes through", async () => {
    let up = false;
    const hook = await startReceiver(() => (up ? 200 : 503));
    receivers.push(hook);
    const channel = await webhookChannel(hook.url, ["bot.error"]);
    const t0 = Date.parse("2026-12-04T12:00:00Z");
    const at = (ms: number) => ({ who: "test", policy: "loopback" as const, now: () => new Date(t0 + ms) });
    await raiseAlert(t.db, { event: "bot.error", severity: alertEvents["bot.error"].severity, subject: { type: "bot", id: "b", label: "mm" }, message: "mm: error — the exchange rejected the key", link: "/bots/b", dedupeKey: "e1", occurredAt: new Date(t0) }, { now: new Date(t0) });
    let elapsed = 0;
    await deliverDue(t.db, at(0));
    for (const delay of retryDelaysMs.slice(0, 3)) {
      expect((await deliverDue(t.db, at(elapsed + delay - 1))).failed).toBe(0); // not before its time
      elapsed += delay;
      await deliverDue(t.db, at(elapsed));
    }
    const waiting = await t.db.alert.findFirstOrThrow({ where: { channelId: channel.id } });
    expect(waiting).toMatchObject({ status: "pending", attempts: 4, lastError: "The webhook answered 503." });
    up = true;
    elapsed += retryDelaysMs[3]!;
    expect(await deliverDue(t.db, at(elapsed))).toEqual({ sent: 1, failed: 0 });
    expect(hook.received.map((r) => r.status)).toEqual([503, 503, 503, 503, 200]);
    // the schedule: the first retry within 10 s, at least five tries in the first hour
    expect(retryDelaysMs[0]).toBeLessThanOrEqual(10_000);
    let sum = 0;
    expect(retryDelaysMs.filter((d) => (sum += d) <= 3_600_000).length + 1).toBeGreaterThanOrEqual(5);
  });

  it("the web's fallback sender sends only to channels without a secret; a claimed alert is sent once by two senders", async () => {
    const hook = await startReceiver();
    receivers.push(hook);
    const open = await webhookChannel(`${hook.url}/open`, ["worker.down"]);
    const sealed = await webhookChannel(`${hook.url}/sealed`, ["worker.down"], { secretSealed: new Uint8Array([1, 2, 3]) });
    const now = new Date();
    await raiseAlert(t.db, { event: "worker.down", severity: "critical", subject: { type: "worker", id: "w1", label: "worker w1" }, message: "Worker w1 has sent no heartbeat for 61 s.", link: "/", dedupeKey: "down-w1", occurredAt: now }, { now });
    const results = await Promise.all([deliverDue(t.db, { who: "web-a", policy: "loopback" }), deliverDue(t.db, { who: "web-b", policy: "loopback" })]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(1);
    expect(hook.received.map((r) => r.path)).toEqual(["/open"]);
    expect((await t.db.alert.findFirstOrThrow({ where: { channelId: sealed.id } })).status).toBe("pending"); // waits for a worker
    expect((await t.db.alert.findFirstOrThrow({ where: { channelId: open.id } })).status).toBe("sent");
  });
});

describe.each(databaseKinds)("alerts on the clock on %s", (kind) => {
  const t = useTestDatabase(kind);

  it("key.expiring 7 days and again 1 day before, once each; daily.summary once a day with each bot's PnL of the day", async () => {
    const day = 86_400_000;
    const now = Date.parse("2026-12-04T00:05:00Z");
    const channel = await t.db.alertChannel.create({ data: { name: "ops", type: "webhook", events: JSON.stringify(["key.expiring", "daily.summary"]), config: JSON.stringify({ url: "http://127.0.0.1:9/", format: "keyward" }), createdAt: new Date(now - 2 * day) } });
    await t.db.exchangeKey.create({ data: { id: "k-exp", label: "expiring key", exchange: "demo", maskedKeyId: "…WXYZ", fingerprint: "f-exp", expiresAt: new Date(now + 5 * day) } });
    expect(await expiringKeys(t.db, new Date(now))).toBe(1);
    expect(await expiringKeys(t.db, new Date(now + 3_600_000))).toBe(0); // once
    expect(await expiringKeys(t.db, new Date(now + 4.5 * day))).toBe(1); // under a day left
    const expiring = await t.db.alert.findMany({ where: { channelId: channel.id, event: "key.expiring" }, orderBy: { createdAt: "asc" } });
    expect(expiring[0]!.message).toMatch(/^Key "expiring key" expires in 5 days \(2026-12-09 00:05 UTC\)\. Create a new key/);
    expect(expiring[1]!.message).toMatch(/^Key "expiring key" expires in 12 hour\(s\)/);
    expect(expiring[0]!.subjectLabel).toBe("expiring key (key …WXYZ)");

    const bot = await t.db.bot.create({ data: { name: "grid-1", exchange: "demo", symbol: "DEMO/USDT", strategy: "grid", maxOrderNotional: "100", maxDailyLoss: "50", createdAt: new Date(now - 3 * day) } });
    await t.db.botPnlPoint.createMany({ data: [
      { botId: bot.id, at: new Date(now - 2 * day), totalPnl: "10", realizedPnl: "0", position: "0", price: "1" },
      { botId: bot.id, at: new Date(now - day - 3_600_000), totalPnl: "12.5", realizedPnl: "0", position: "0", price: "1" }, // before the day
      { botId: bot.id, at: new Date(now - 3_600_000), totalPnl: "20", realizedPnl: "0", position: "0", price: "1" }, // its last point
    ] });
    expect(await dailySummary(t.db, new Date(now))).toBe(1);
    expect(await dailySummary(t.db, new Date(now + 3_600_000))).toBe(0); // once a day
    const summary = await t.db.alert.findFirstOrThrow({ where: { channelId: channel.id, event: "daily.summary" } });
    expect(summary.subjectLabel).toBe("Daily summary 2026-12-03");
    expect(summary.message).toContain("PnL on 2026-12-03 (UTC): 7.50 USDT.");
    expect(summary.message).toContain("grid-1 (paper, stopped): 7.50 USDT");

    // a channel added after the day ended gets the next day's summary, not this one at once
    const later = await t.db.alertChannel.create({ data: { name: "added today", type: "webhook", events: JSON.stringify(["daily.summary"]), config: JSON.stringify({ url: "http://127.0.0.1:9/", format: "keyward" }), createdAt: new Date(now) } });
    expect(await dailySummary(t.db, new Date(now + 3_600_000))).toBe(0);
    expect(await dailySummary(t.db, new Date(now + day))).toBe(2); // 2026-12-04's: both channels
    expect((await t.db.alert.findMany({ where: { channelId: later.id }, select: { subjectLabel: true } })).map((a) => a.subjectLabel)).toEqual(["Daily summary 2026-12-04"]);
  });
});

describe("channels speaking real protocols", () => {
  const message = composeMessage(
    [{ id: "a1", channelId: "c", event: "key.rejected", severity: "critical", subjectType: "key", subjectId: "k1", subjectLabel: "desk key (key …WXYZ)", message: 'Key "desk key" was rejected by the exchange.', link: "/keys", dedupeKey: "x", status: "sending", digest: false, dueAt: new Date(), nextAttemptAt: new Date(), attempts: 0, claimedBy: null, claimedUntil: null, lastError: null, sentAt: null, occurredAt: new Date("2026-12-04T10:00:00Z"), createdAt: new Date() }],
    false,
    "https://keyward.example.com",
  );
  const botToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

  it("Telegram: POST /bot<token>/sendMessage with chat_id and text; {ok: false} is a failure that names Telegram's description, never the token", async () => {
    // answers as the Bot API documents: 200 {ok: true, result: Message}, or {ok: false, error_code, description}
    const api = await startReceiver(
      (n, req, body) => (req.url === `/bot${botToken}/sendMessage` && req.headers["content-type"] === "application/json" && (JSON.parse(body) as { chat_id: string }).chat_id === "-1001234567890" && n === 0 ? 200 : 400),
      (status) => JSON.stringify(status === 200 ? { ok: true, result: { message_id: 7, date: 1733306400, chat: { id: -1001234567890, type: "supergroup" }, text: "…" } } : { ok: false, error_code: 400, description: "Bad Request: chat not found" }),
    );
    const channel = { type: "telegram", config: { chatId: "-1001234567890", apiBase: api.url } };
    await sendMessage(channel, message, botToken, "loopback");
    const sent = JSON.parse(api.received[0]!.body) as { chat_id: string; text: string; link_preview_options: { is_disabled: boolean } };
    expect(sent.text).toContain("[CRITICAL] key.rejected: desk key (key …WXYZ)");
    expect(sent.text).toContain("https://keyward.example.com/keys");
    expect(sent.link_preview_options).toEqual({ is_disabled: true });
    const err = await sendMessage(channel, message, botToken, "loopback").catch((e: Error) => e);
    expect((err as Error).message).toBe("Telegram answered 400: Bad Request: chat not found.");
    expect((err as Error).message).not.toContain(botToken);
    await api.close();
  });

  it("email over SMTP with a login: subject and text arrive; a refused login is a failure without the password", async () => {
    const mails: { from: string; to: string; data: string; user: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: false, disabledCommands: ["STARTTLS"], logger: false,
      onAuth: (auth, _s, cb) => (auth.username === "alerts" && auth.password === "smtp-pass-1" ? cb(null, { user: auth.username }) : cb(new Error("Invalid username or password"))),
      onData: (stream, session, cb) => {
        let data = "";
        stream.on("data", (c: Buffer) => (data += c.toString()));
        stream.on("end", () => {
          mails.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address).join(","), data, user: String(session.user) });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
    const port = (smtp.server.address() as AddressInfo).port;
    const config = { host: "127.0.0.1", port, security: "none" as const, user: "alerts", from: "keyward@example.test", to: "ops@example.test" };
    await sendMessage({ type: "email", config }, message, "smtp-pass-1", "loopback");
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ from: "keyward@example.test", to: "ops@example.test", user: "alerts" });
    // the subject as a mail reader shows it (RFC 2047 encoded words, folded)
    const subject = /^Subject: (.*(?:\r?\n .*)*)/m.exec(mails[0]!.data)![1]!.replace(/\r?\n /g, "").replace(/=\?UTF-8\?Q\?(.*?)\?=/g, (_, q: string) => Buffer.from(q.replace(/_/g, " ").replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"));
    expect(subject).toBe("[Keyward] key.rejected: desk key (key …WXYZ)");
    expect(mails[0]!.data).toContain("was rejected by the exchange");
    const err = (await sendMessage({ type: "email", config }, message, "wrong-pass", "loopback").catch((e: Error) => e)) as Error;
    expect(err.message).toBe("The SMTP server answered 535.");
    await new Promise<void>((r) => smtp.close(() => r()));
  });
});

