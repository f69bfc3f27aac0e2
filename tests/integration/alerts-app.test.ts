/**
 * Issue 12, end to end with Keyward running as `npm start` runs it: a key
 * that gains withdraw permission reaches a webhook (which fails first) signed,
 * within 20 s of the re-check; a worker killed for good raises worker.down
 * within 90 s — noticed by the web process.
 */
import { createHmac } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createUser } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { jsonBody, mintDemoKey } from "@/lib/exchange/demo/admin-client";
import { startApp, stopApp, waitFor, waitForWorker, type RunningApp } from "../helpers/app-process";
import { startReceiver, type Receiver } from "../helpers/webhook-receiver";
import { startWorker } from "../helpers/worker-process";

const port = 3370;
const demoUrl = `http://127.0.0.1:${port + 1}`;

describe("issue 12: alerts from a running Keyward", () => {
  let app: RunningApp;
  let db: Db;
  let token: string;
  const receivers: Receiver[] = [];

  async function api(method: string, p: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${app.baseUrl}${p}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  beforeAll(async () => {
    app = startApp(port);
    await waitForWorker(app);
    db = createDb(`file:${app.dataDir}/keyward.db`);
    const system = { id: null, label: "test" };
    const owner = await createUser(db, { email: "alerts@example.test", role: "owner", password: "alerts-password-1234" }, system);
    token = (await createApiToken(db, owner.id, { name: "alerts", scopes: ["read", "operate", "admin"], expiresInMs: 3_600_000 }, system)).token;
  }, 300_000);

  afterAll(async () => {
    for (const r of receivers) await r.close();
    await db?.$disconnect();
    if (app) await stopApp(app);
  });

  it("a key that gains withdraw permission: a signed alert within 20 s of the re-check, through a webhook that failed first; the retry is in the log; no secret in it", { timeout: 90_000 }, async () => {
    const hook = await startReceiver((n) => (n === 0 ? 500 : 200));
    receivers.push(hook);
    const secret = "whsec-test-0123456789";
    const channel = await api("POST", "/api/v1/notifications/channels", { type: "webhook", name: "ops hook", url: `${hook.url}/keyward`, secret });
    expect(channel.status).toBe(201);
    const channelId = (channel.body.channel as { id: string }).id;

    const creds = await mintDemoKey(demoUrl, { read: true, trade: true, withdraw: false, ipRestrict: true });
    const added = await api("POST", "/api/v1/keys", { exchange: "demo", label: "desk key", apiKey: creds.apiKey, secret: creds.secret });
    expect(added.status).toBe(201);
    const keyId = (added.body.key as { id: string }).id;

    await fetch(`${demoUrl}/_demo/keys/${creds.apiKey}`, { method: "PATCH", ...jsonBody({ permissions: { withdraw: true } }) });
    const recheck = await api("POST", `/api/v1/keys/${keyId}/recheck`);
    expect(recheck.status).toBe(200);
    expect(String(recheck.body.result)).toContain("withdraw permission was turned ON");
    const checkedAt = Date.now();

    const delivered = await waitFor("the alert delivered", async () => hook.received.find((r) => r.status === 200 && r.body.includes("key.withdraw_enabled")), 25_000, app);
    expect(delivered.at - checkedAt).toBeLessThan(20_000);
    const failed = hook.received.find((r) => r.status === 500)!;
    expect(failed.body).toBe(delivered.body); // the same alert, retried
    expect(delivered.headers["x-keyward-signature"]).toBe(`sha256=${createHmac("sha256", secret).update(delivered.body).digest("hex")}`);
    const payload = JSON.parse(delivered.body) as Record<string, unknown>;
    expect(payload).toMatchObject({ event: "key.withdraw_enabled", severity: "critical", subject: { type: "key", id: keyId, label: `desk key (key ${creds.apiKey.slice(0, 4)}…${creds.apiKey.slice(-4)})` }, link: "/keys" });
    expect(Object.keys(payload).sort()).toEqual(["count", "event", "link", "message", "severity", "subject", "time"]);
    for (const r of hook.received) for (const s of [creds.apiKey, creds.secret, secret, token]) expect(r.body).not.toContain(s);

    const log = await api("GET", `/api/v1/notifications/channels/${channelId}/deliveries`);
    const entry = (log.body.deliveries as { event: string; status: string; attempts: number; lastError: string }[]).find((d) => d.event === "key.withdraw_enabled")!;
    expect(entry).toMatchObject({ status: "sent", attempts: 2, lastError: "The webhook answered 500." });
    expect(JSON.stringify(log.body)).not.toContain(secret);
  });

  it("a worker killed for good: worker.down within 90 s, raised by the web", { timeout: 150_000 }, async () => {
    const hook = await startReceiver();
    receivers.push(hook);
    expect((await api("POST", "/api/v1/notifications/channels", { type: "webhook", name: "pager", url: `${hook.url}/down`, events: ["worker.down"] })).status).toBe(201);
    // a worker of its own (not supervised by `npm start`, so nothing restarts it)
    const extra = startWorker({ DATABASE_URL: `file:${app.dataDir}/keyward.db`, KEYWARD_VAULT_KEY_FILE: path.join(app.dataDir, "vault.key"), DEMO_EXCHANGE_URL: demoUrl, KEYWARD_DATA_DIR: app.dataDir }, "doomed-worker");
    await waitFor("its heartbeat", async () => (await db.workerHeartbeat.findUnique({ where: { workerId: "doomed-worker" } })) ?? undefined, 30_000, app);
    extra.signal("SIGKILL");
    await extra.exited;
    const killedAt = Date.now();
    const alert = await waitFor("worker.down", async () => hook.received.find((r) => r.body.includes("doomed-worker")), 100_000, app);
    expect(alert.at - killedAt).toBeLessThan(90_000);
    expect(JSON.parse(alert.body)).toMatchObject({ event: "worker.down", severity: "critical", subject: { type: "worker", id: "doomed-worker" } });
    expect(hook.received.filter((r) => r.body.includes("doomed-worker"))).toHaveLength(1); // once
    expect(await db.botEvent.count({ where: { kind: "worker.down" } })).toBe(1);
  });
});
