/**
 * GET /api/v1/stream as a script uses it: Keyward started as `npm start` does
 * (web, worker, demo exchange) on SQLite and on PostgreSQL, live bots created
 * and started through /api/v1 with keys minted on the demo exchange, and the
 * stream read with a bearer token. Fills arrive within a second of the
 * exchange's fill timestamps (p95); a second connection with Last-Event-ID
 * gets exactly the events after that id — compared with the BotEvent table,
 * no gap and no repeat.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createUser } from "@/lib/auth/users";
import type { DatabaseKind } from "@/lib/db/adapter";
import { createDb, type Db } from "@/lib/db/client";
import { createThrowawayDatabase, type Throwaway } from "@/lib/db/throwaway";
import { mintDemoKey } from "@/lib/exchange/demo/admin-client";
import { startApp, stopApp, waitFor, waitForWorker, type RunningApp } from "../helpers/app-process";

interface StreamEvent {
  id: number;
  event: string;
  data: { id: number; type: string; kind: string; botId: string | null; data: Record<string, unknown> };
  receivedAt: number;
}

/** Reads an SSE response until `stop()` is called; events are pushed to `into` as they arrive. */
function readStream(res: Response, into: StreamEvent[]): { stop: () => Promise<void>; done: Promise<void> } {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const done = (async () => {
    for (;;) {
      const { value, done: end } = await reader.read().catch(() => ({ value: undefined, done: true as const }));
      if (end) return;
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const fields = Object.fromEntries(block.split("\n").filter((l) => !l.startsWith(":") && l.includes(": ")).map((l) => [l.slice(0, l.indexOf(": ")), l.slice(l.indexOf(": ") + 2)]));
        if (fields.id && fields.data) into.push({ id: Number(fields.id), event: fields.event!, data: JSON.parse(fields.data) as StreamEvent["data"], receivedAt: Date.now() });
      }
    }
  })();
  return { stop: () => reader.cancel().catch(() => undefined), done };
}

const cases: [DatabaseKind, number][] = [
  ["sqlite", 3380], // ports no other test uses (processes.test has 3310–3341)
  ["postgres", 3390],
];

describe.each(cases)("/api/v1/stream on %s", (kind, port) => {
  let app: RunningApp;
  let pg: Throwaway | undefined;
  let db: Db;
  let token: string;
  let readOnly: string;
  const base = `http://127.0.0.1:${port}`;
  const demoUrl = `http://127.0.0.1:${port + 1}`;
  const api = async <T,>(method: string, path: string, body?: unknown, bearer = token): Promise<T> => {
    const res = await fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${bearer}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const stream = (query = "", headers: Record<string, string> = {}, bearer = token) => fetch(`${base}/api/v1/stream${query}`, { headers: { authorization: `Bearer ${bearer}`, ...headers } });

  beforeAll(async () => {
    pg = kind === "postgres" ? await createThrowawayDatabase("postgres") : undefined;
    app = startApp(port, pg ? { DATABASE_URL: pg.url } : {});
    await waitForWorker(app);
    db = createDb(pg?.url ?? `file:${app.dataDir}/keyward.db`);
    const system = { id: null, label: "test" };
    const owner = await createUser(db, { email: "stream-owner@example.test", role: "owner", password: "stream-password-1234" }, system);
    token = (await createApiToken(db, owner.id, { name: "script", scopes: ["read", "operate", "admin"], expiresInMs: 3_600_000 }, system)).token;
    const viewer = await createUser(db, { email: "stream-viewer@example.test", role: "viewer", password: "stream-password-1234" }, system);
    readOnly = (await createApiToken(db, viewer.id, { name: "viewer", scopes: ["read"], expiresInMs: 3_600_000 }, system)).token;
  }, 300_000);

  afterAll(async () => {
    await db?.$disconnect();
    if (app) await stopApp(app);
    await pg?.drop();
  });

  it("refuses without a token, with a bad query, and says why", async () => {
    const anonymous = await fetch(`${base}/api/v1/stream`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    const badTypes = await stream("?types=order,nonsense");
    expect(badTypes.status).toBe(400);
    expect(((await badTypes.json()) as { error: { message: string } }).error.message).toMatch(/not nonsense/);
    const badResume = await stream("", { "last-event-id": "abc" });
    expect(badResume.status).toBe(400);
    const cookieOnly = await fetch(`${base}/api/stream`);
    expect(cookieOnly.status).toBe(401);
  });

  it("delivers fills within a second of the exchange's timestamps (p95) and resumes with Last-Event-ID without a gap or a repeat", async () => {
    const first: StreamEvent[] = [];
    const res = await stream("", {}, readOnly);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const a = readStream(res, first);

    // eight live DCA bots (a market buy at their first tick) and two market makers (orders placed and re-quoted)
    const botIds: string[] = [];
    for (let i = 0; i < 10; i++) {
      const creds = await mintDemoKey(demoUrl, { read: true, trade: true, withdraw: false, ipRestrict: true });
      const key = await api<{ key: { id: string } }>("POST", "/api/v1/keys", { exchange: "demo", label: `stream-${i}`, apiKey: creds.apiKey, secret: creds.secret });
      const dca = i < 8;
      const bot = await api<{ bot: { id: string } }>("POST", "/api/v1/bots", {
        name: `stream-${i}`, keyId: key.key.id, symbol: i % 2 ? "DEMO/USDT" : "BTC/USDT", mode: "live", tickSeconds: 1, maxOrderNotional: "100", maxDailyLoss: "100", maxOpenOrders: 4,
        strategy: dca ? "dca" : "market-maker", params: dca ? { quoteAmount: "15", intervalMinutes: 1 } : { spreadPct: "0.05", orderQuote: "15" },
      });
      botIds.push(bot.bot.id);
    }
    for (const id of botIds) await api("POST", `/api/v1/bots/${id}/start`);

    // at least 20 fills (the market makers' after the DCA bots' first buys), so that one slow fill of the
    // start-up burst on a loaded machine is not the p95 by itself (with 8 samples the p95 is the maximum)
    const fills = () => first.filter((e) => e.event === "trade");
    await waitFor("a fill from each DCA bot, 20 in all", async () => (new Set(fills().map((e) => e.data.botId)).size >= 8 && fills().length >= 20 ? true : undefined), 90_000, app);
    const trades = fills();
    const latencies = trades.map((e) => e.receivedAt - Number(e.data.data.timestamp)).sort((x, y) => x - y);
    const p95 = latencies[Math.ceil(latencies.length * 0.95) - 1]!;
    console.log(`[${kind}] fills seen by the stream: ${latencies.length}; fill-to-client ms p50 ${latencies[Math.floor(latencies.length / 2)]} p95 ${p95} max ${latencies.at(-1)}`);
    expect(p95).toBeLessThan(1000);
    for (const t of trades) expect(t.data.data).toMatchObject({ timestamp: expect.any(Number), price: expect.any(String), amount: expect.any(String) });
    for (const type of ["bot", "order", "trade", "balance", "lease"]) expect(first.some((e) => e.event === type)).toBe(true);

    // /metrics while the bots trade and this stream is connected (workers publish theirs with each 1 s heartbeat)
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const metric = async (pattern: RegExp) => {
      const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${readOnly}` } })).text();
      return pattern.exec(text);
    };
    await waitFor("worker metrics with the fills", async () => Number((await metric(/^keyward_fills_total\{mode="live",worker="[^"]+"\} ([\d.]+)$/m))?.[1] ?? 0) >= 8 || undefined, 15_000, app);
    expect(Number((await metric(/^keyward_orders_total\{outcome="placed",mode="live",worker="[^"]+"\} (\d+)$/m))?.[1])).toBeGreaterThanOrEqual(8);
    expect(Number((await metric(/^keyward_bots\{status="running",mode="live"\} (\d+)$/m))?.[1])).toBe(10);
    expect(await metric(/^keyward_exchange_request_seconds_bucket\{le="0\.1",exchange="demo",method="POST",endpoint="\/api\/v3\/order",outcome="ok",worker="[^"]+"\} \d+$/m)).not.toBeNull();
    expect(Number((await metric(/^keyward_sse_clients (\d+)$/m))?.[1])).toBeGreaterThanOrEqual(1);
    expect(await metric(/^keyward_worker_heartbeat_age_seconds\{worker="[^"]+"\} [\d.]+$/m)).not.toBeNull();
    expect(await metric(/^keyward_event_lag_seconds [\d.e-]+$/m)).not.toBeNull();
    expect(await metric(/^keyward_rate_budget_used_ratio\{exchange="demo",worker="[^"]+"\} [\d.e-]+$/m)).not.toBeNull();

    // drop the connection, let the bots write more, then resume from the last id seen
    await a.stop();
    const lastSeen = first.at(-1)!.id;
    await new Promise((r) => setTimeout(r, 2000));
    const second: StreamEvent[] = [];
    const b = readStream(await stream("", { "last-event-id": String(lastSeen) }, readOnly), second);
    await waitFor("events after the resume point", async () => (second.length > 5 ? true : undefined), 30_000, app);
    await new Promise((r) => setTimeout(r, 1500));
    await b.stop();
    for (const id of botIds) await api("POST", `/api/v1/bots/${id}/stop`);
    // a client that went away is no longer counted (nor fed)
    await waitFor("disconnected streams let go", async () => (Number((await metric(/^keyward_sse_clients (\d+)$/m))?.[1]) === 0 ? true : undefined), 10_000, app);

    const firstIds = first.map((e) => e.id);
    const secondIds = second.map((e) => e.id);
    expect(new Set([...firstIds, ...secondIds]).size).toBe(firstIds.length + secondIds.length); // no repeats
    expect(secondIds[0]).toBeGreaterThan(lastSeen);
    // exactly the table's rows after the resume point, in order (events of every bot and kind)
    const rows = await db.botEvent.findMany({ where: { id: { gt: lastSeen, lte: secondIds.at(-1)! } }, orderBy: { id: "asc" }, select: { id: true } });
    expect(secondIds).toEqual(rows.map((r) => r.id));
    // and the ids are increasing within each connection
    expect(firstIds).toEqual([...firstIds].sort((x, y) => x - y));
  }, 180_000);

  // the re-check runs every 30 s whatever the database: checked once, on SQLite
  it.runIf(kind === "sqlite")("a token revoked while its stream is open ends the stream with `event: end` at the next 30 s re-check", { timeout: 60_000 }, async () => {
    const owner = await db.user.findUniqueOrThrow({ where: { email: "stream-owner@example.test" } });
    const short = await createApiToken(db, owner.id, { name: "revoked mid-stream", scopes: ["read"], expiresInMs: 3_600_000 }, { id: null, label: "test" });
    const res = await stream("", {}, short.token);
    expect(res.status).toBe(200);
    await db.apiToken.update({ where: { id: short.dto.id }, data: { revokedAt: new Date() } }); // as another process would
    const revokedAt = Date.now();
    const reader = res.body!.getReader();
    let text = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toMatch(/event: end\ndata: \{"reason":"Your session or token is no longer valid; sign in again\."\}/);
    expect(Date.now() - revokedAt).toBeLessThan(32_000);
  });

  it("filters by bot and type", async () => {
    const bots = await api<{ bots: { id: string; name: string }[] }>("GET", "/api/v1/bots");
    const target = bots.bots.find((b) => b.name === "stream-0")!;
    const seen: StreamEvent[] = [];
    const s = readStream(await stream(`?bot=${target.id}&types=bot`, { "last-event-id": "0" }), seen);
    await waitFor("the bot's status events", async () => (seen.length >= 2 ? true : undefined), 15_000, app);
    await s.stop();
    expect(seen.every((e) => e.event === "bot" && e.data.botId === target.id)).toBe(true);
  });
});
