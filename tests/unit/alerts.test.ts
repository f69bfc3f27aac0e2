import { describe, expect, it } from "vitest";
import { alertsFromEvent } from "@/lib/alerts/from-events";
import { composeMessage, withSubject } from "@/lib/alerts/message";
import { channelInputSchema, describeTarget, splitChannel } from "@/lib/alerts/channel-config";
import { checkTargetUrl, refusedAddress } from "@/lib/alerts/safe-address";

describe("issue 12: where alerts may be sent", () => {
  it("never link-local or cloud metadata, also spelled as IPv4-mapped IPv6; loopback by default; private ranges only when allowed", () => {
    for (const ip of ["169.254.169.254", "::ffff:169.254.169.254", "fd00:ec2::254", "169.254.10.1", "fe80::1", "0.0.0.0", "224.0.0.1"]) for (const policy of ["loopback", "private", "none"] as const) expect(refusedAddress(ip, policy), `${ip} ${policy}`).not.toBeNull();
    expect(refusedAddress("127.0.0.1", "loopback")).toBeNull();
    expect(refusedAddress("::1", "loopback")).toBeNull();
    expect(refusedAddress("127.0.0.1", "none")).toMatch(/loopback/);
    for (const ip of ["10.1.2.3", "192.168.1.10", "172.16.0.5", "fc00::5", "100.64.0.1"]) {
      expect(refusedAddress(ip, "loopback"), ip).toMatch(/private/);
      expect(refusedAddress(ip, "private"), ip).toBeNull();
    }
    expect(refusedAddress("93.184.216.34", "none")).toBeNull();
  });

  it("URLs: http or https only, no credentials in them, metadata host names refused", () => {
    expect(checkTargetUrl("https://hooks.example.com/x", "loopback")).toBeNull();
    expect(checkTargetUrl("ftp://example.com/x", "loopback")).toMatch(/Only http/);
    expect(checkTargetUrl("file:///etc/passwd", "loopback")).toMatch(/Only http/);
    expect(checkTargetUrl("https://user:pw@example.com/", "loopback")).toMatch(/no user name or password/);
    expect(checkTargetUrl("http://metadata.google.internal/computeMetadata/v1/", "private")).toMatch(/metadata/);
    expect(checkTargetUrl("http://[::ffff:a9fe:a9fe]/", "private")).toMatch(/metadata/);
    expect(checkTargetUrl("not a url", "loopback")).toMatch(/full URL/);
  });

  it("a channel's input: secrets accepted but listed nowhere; a webhook shown by its origin only", () => {
    const r = channelInputSchema.safeParse({ type: "webhook", name: "slack", url: "https://hooks.slack.com/services/T0/B0/SECRETPATH", format: "slack" });
    expect(r.success).toBe(true);
    expect(describeTarget("webhook", { url: "https://hooks.slack.com/services/T0/B0/SECRETPATH", format: "slack" })).toBe("https://hooks.slack.com/… (slack)");
    expect(r.data!.events).not.toContain("order.filled"); // off by default
    expect(channelInputSchema.safeParse({ type: "telegram", name: "tg", botToken: "nope", chatId: "1" }).success).toBe(false);
    expect(channelInputSchema.safeParse({ type: "webhook", name: "x", url: "https://a.example", events: ["bot.nonsense"] }).success).toBe(false);
  });

  it("a password or bot token never crosses the network unencrypted; on this machine it may", () => {
    const split = (input: Record<string, unknown>) => splitChannel(channelInputSchema.parse({ name: "c", ...input }), "private");
    const mail = { type: "email", port: 25, from: "k@example.com", to: "ops@example.com" };
    expect(split({ ...mail, host: "smtp.example.com", security: "none", user: "u", password: "pw" })).toMatchObject({ problem: expect.stringMatching(/^The password would cross the network unencrypted: choose STARTTLS or TLS/), field: "security" });
    expect(split({ ...mail, host: "192.168.1.5", security: "none", password: "pw" }).problem).toMatch(/unencrypted/);
    for (const ok of [{ host: "smtp.example.com", security: "starttls", password: "pw" }, { host: "smtp.example.com", security: "none" }, { host: "127.0.0.1", security: "none", password: "pw" }, { host: "localhost", security: "none", password: "pw" }]) expect(split({ ...mail, ...ok }).problem, JSON.stringify(ok)).toBeNull();
    const tg = { type: "telegram", botToken: "123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw", chatId: "42" };
    expect(split({ ...tg, apiBase: "http://bots.example.com" }).problem).toBe("The bot token would cross the network unencrypted: use an https:// API address.");
    expect(split({ ...tg, apiBase: "http://127.0.0.1:8081" }).problem).toBeNull();
    expect(split(tg).problem).toBeNull();
  });
});

describe("issue 12: which bot events are alerts", () => {
  const names = { bots: new Map([["b1", "grid-1"]]), keys: new Map([["k1", "desk (key …WXYZ)"]]) };
  const ev = (kind: string, data: object = {}, botId: string | null = "b1", keyId: string | null = null) => ({ id: 7, botId, keyId, kind, message: "m", data: JSON.stringify(data), createdAt: new Date(0) });

  it("maps scope changes, errors, stalls, stops, risk stops, fills; ignores the rest", () => {
    expect(alertsFromEvent(ev("key.scopes-changed", { withdrawEnabled: true, ipUnrestricted: true }, "b1", "k1"), names).map((a) => [a.event, a.subject.label])).toEqual([["key.withdraw_enabled", "desk (key …WXYZ)"], ["key.ip_unrestricted", "desk (key …WXYZ)"]]);
    expect(alertsFromEvent(ev("key.scopes-changed", { withdrawEnabled: false }, "b1", "k1"), names)).toEqual([]);
    expect(alertsFromEvent(ev("key.scopes-changed", { transferEnabled: true }, "b1", "k1"), names)[0]).toMatchObject({ event: "key.transfer_enabled", severity: "critical" }); // issue 15
    expect(alertsFromEvent(ev("bot.status", { status: "error" }), names).map((a) => a.event)).toEqual(["bot.error"]);
    expect(alertsFromEvent(ev("bot.status", { status: "error", again: true }), names)).toEqual([]); // a failed start's retry failing too
    expect(alertsFromEvent(ev("bot.status", { status: "stopped" }), names).map((a) => a.event)).toEqual(["bot.stopped"]);
    expect(alertsFromEvent(ev("bot.status", { status: "running" }), names)).toEqual([]);
    expect(alertsFromEvent(ev("bot.stalled"), names)[0]).toMatchObject({ event: "bot.stalled", severity: "warning", subject: { type: "bot", label: "grid-1" } });
    expect(alertsFromEvent(ev("bot.recovered", { stalled: true }), names).map((a) => a.event)).toEqual(["bot.stalled"]); // and back after a stall
    expect(alertsFromEvent(ev("bot.recovered", { stalled: false }), names)).toEqual([]); // a short hiccup is no alert
    expect(alertsFromEvent(ev("risk.kill-switch", {}, null), names)[0]).toMatchObject({ event: "bot.risk_stop", subject: { type: "system" } });
    expect(alertsFromEvent(ev("trade"), names)[0]).toMatchObject({ event: "order.filled", message: "grid-1: m", link: "/bots/b1", dedupeKey: "event:7:order.filled" });
    expect(alertsFromEvent(ev("risk.refused", { unfundedStreak: true }), names)[0]).toMatchObject({ event: "bot.unfunded", severity: "warning", subject: { type: "bot", label: "grid-1" } });
    expect(alertsFromEvent(ev("order.rejected", { firstRejection: true }), names)[0]).toMatchObject({ event: "bot.rejected", severity: "warning", subject: { type: "bot", label: "grid-1" } });
    expect(alertsFromEvent(ev("order.rejected", {}), names)).toEqual([]); // again, or never placed
    for (const kind of ["order.new", "balance", "lease.acquired", "risk.refused", "worker.down"]) expect(alertsFromEvent(ev(kind), names)).toEqual([]); // risk.refused: another reason, or again in a streak
  });
});

describe("issue 12: what an alert message says", () => {
  const row = (subjectLabel: string, message: string, at: string) => ({
    id: at, channelId: "c", event: "bot.stopped", severity: "info", subjectType: "bot", subjectId: subjectLabel, subjectLabel, message, link: "/bots/x", dedupeKey: at, status: "sending", digest: false,
    dueAt: new Date(at), nextAttemptAt: new Date(at), attempts: 0, claimedBy: null, claimedUntil: null, lastError: null, sentAt: null, occurredAt: new Date(at), createdAt: new Date(at),
  });

  it("a batch names each subject once, also where the message already begins with it (a bot's events name the bot)", () => {
    const m = composeMessage([row("MM live", "MM live: stopped", "2026-12-06T10:47:20Z"), row("Keyward", "Kill switch pulled by me", "2026-12-06T10:47:21Z")], false, undefined);
    expect(m.message).toBe("2 bot.stopped alerts.\n• 10:47:20 MM live: stopped\n• 10:47:21 Keyward: Kill switch pulled by me");
    expect(withSubject("grid", "grid-2: stopped")).toBe("grid: grid-2: stopped");
  });
});
