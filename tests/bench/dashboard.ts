/**
 * `npm run bench -- dashboard [--bots 200] [--seconds 10] [--sse 100] [--db sqlite|postgres]`
 *
 * Issue 10's benchmark. Keyward runs as `npm start` runs it (web, worker, demo
 * exchange) with --bots paper market makers on the demo exchange trading, and
 * in one run this measures, at 10 and 50 concurrent clients: a bare route
 * handler of the same server (/api/ping, the baseline), /api/v1/me (the token
 * check alone), /api/v1/bots (its first page: 50 bots, ~50 KB) and the
 * overview page (session cookie) — throughput and p50/p99 —
 * then --sse clients on /api/v1/stream: event-to-client latency (from the
 * event's row time to its arrival at each client) p50/p99 and events/s.
 * Targets: /api/v1/bots ≥ 75% of the baseline's throughput and p99 ≤ 25 ms at
 * 10 clients; event-to-client p99 ≤ 250 ms with 100 clients.
 */
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createSession } from "@/lib/auth/sessions";
import { createUser } from "@/lib/auth/users";
import { createDb } from "@/lib/db/client";
import { createThrowawayDatabase } from "@/lib/db/throwaway";
import { mintDemoKey } from "@/lib/exchange/demo/admin-client";
import { health, startApp, stopApp, waitFor } from "../helpers/app-process";

const { values } = parseArgs({ args: process.argv.slice(3), options: { bots: { type: "string", default: "200" }, seconds: { type: "string", default: "10" }, sse: { type: "string", default: "100" }, db: { type: "string", default: "sqlite" } } });
const botCount = Number(values.bots);
const seconds = Number(values.seconds);
const port = 3450;
const pct = (xs: number[], p: number) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]! : NaN);

const pg = values.db === "postgres" ? await createThrowawayDatabase("postgres") : undefined;
const app = startApp(port, { LOG_LEVEL: "warn", ...(pg ? { DATABASE_URL: pg.url } : {}) });
try {
  await waitFor("healthy app", async () => ((await health(app.baseUrl)).worker.lastHeartbeatAgeMs ?? Infinity) < 10_000 || undefined, 300_000, app);
  const db = createDb(pg?.url ?? `file:${app.dataDir}/keyward.db`);
  const system = { id: null, label: "bench" };
  const owner = await createUser(db, { email: "bench@example.test", role: "owner", password: "bench-password-1234" }, system);
  const token = (await createApiToken(db, owner.id, { name: "bench", scopes: ["read", "operate", "admin"], expiresInMs: 3_600_000 }, system)).token;
  const cookie = `keyward_session=${await createSession(db, owner.id, { ip: "127.0.0.1", userAgent: "bench" })}`;
  const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${app.baseUrl}${path}`, { method, headers: auth, body: body ? JSON.stringify(body) : undefined });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, { id: string }>>;
  };

  console.log(`creating ${botCount} paper market makers (keys minted on the demo exchange, added through /api/v1)…`);
  const symbols = ["BTC/USDT", "ETH/USDT", "SOL/USDT", "DEMO/USDT"];
  for (let i = 0; i < botCount; i++) {
    const creds = await mintDemoKey(`http://127.0.0.1:${port + 1}`, { read: true, trade: true, withdraw: false, ipRestrict: true });
    const key = await api("POST", "/api/v1/keys", { exchange: "demo", label: `bench-${i}`, apiKey: creds.apiKey, secret: creds.secret });
    const bot = await api("POST", "/api/v1/bots", { name: `bench-${i}`, keyId: key.key!.id, symbol: symbols[i % symbols.length], strategy: "market-maker", params: { spreadPct: "0.05", orderQuote: "20" }, mode: "paper", tickSeconds: 5, maxOrderNotional: "100", maxDailyLoss: "1000", maxOpenOrders: 4 });
    await api("POST", `/api/v1/bots/${bot.bot!.id}/start`);
  }
  await waitFor("the bots running", async () => ((await db.bot.count({ where: { status: "running" } })) >= botCount * 0.95 ? true : undefined), 300_000, app);
  await new Promise((r) => setTimeout(r, 10_000)); // let them settle into their tick phases
  console.log(`${await db.bot.count({ where: { status: "running" } })} bots running; ${await db.botEvent.count()} events so far`);

  type Row = { name: string; connections: number; rps: number; p50: number; p99: number; errors: number };
  const rows: Row[] = [];
  const measure = async (name: string, path: string, headers: Record<string, string>, connections: number) => {
    const r = await autocannon({ url: `${app.baseUrl}${path}`, headers, connections, duration: seconds });
    rows.push({ name, connections, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.non2xx });
    console.log(`${name.padEnd(14)} ${String(connections).padStart(3)} clients: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors/non-2xx ${r.errors + r.non2xx}`);
  };
  for (const connections of [10, 50]) {
    await measure("baseline", "/api/ping", {}, connections);
    await measure("/api/v1/me", "/api/v1/me", { authorization: `Bearer ${token}` }, connections);
    await measure("/api/v1/bots", "/api/v1/bots", { authorization: `Bearer ${token}` }, connections);
    await measure("overview", "/", { cookie }, connections);
  }

  // SSE fan-out: every client gets every event; latency from the event row's time to arrival
  const latencies: number[] = [];
  let delivered = 0;
  const controllers: AbortController[] = [];
  const clients = Array.from({ length: Number(values.sse) }, async () => {
    const ac = new AbortController();
    controllers.push(ac);
    const res = await fetch(`${app.baseUrl}/api/v1/stream`, { headers: { authorization: `Bearer ${token}` }, signal: ac.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const data = buffer.slice(0, cut).split("\n").find((l) => l.startsWith("data: "));
          buffer = buffer.slice(cut + 2);
          if (!data) continue;
          delivered++;
          latencies.push(Date.now() - Date.parse((JSON.parse(data.slice(6)) as { createdAt: string }).createdAt));
        }
      }
    } catch {
      // aborted at the end
    }
  });
  await new Promise((r) => setTimeout(r, 2000)); // all connected
  latencies.length = 0;
  delivered = 0;
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, seconds * 2000));
  const elapsed = (Date.now() - t0) / 1000;
  const sse = { p50: pct(latencies, 50), p99: pct(latencies, 99), perSecond: delivered / elapsed };
  controllers.forEach((c) => c.abort());
  await Promise.allSettled(clients);
  console.log(`SSE fan-out   ${values.sse} clients: ${Math.round(sse.perSecond)} events/s delivered (${Math.round(sse.perSecond / Number(values.sse))} per client), event-to-client p50 ${sse.p50} ms, p99 ${sse.p99} ms`);

  await db.$disconnect();
  const at10 = (name: string) => rows.find((r) => r.name === name && r.connections === 10)!;
  const ratio = at10("/api/v1/bots").rps / at10("baseline").rps;
  console.log(
    `dashboard (${values.db}, ${botCount} bots): /api/v1/bots ${Math.round(at10("/api/v1/bots").rps)} req/s = ${(ratio * 100).toFixed(0)}% of baseline ${Math.round(at10("baseline").rps)} (target ≥ 75%), p99 ${at10("/api/v1/bots").p99} ms (target ≤ 25) at 10 clients; overview p99 ${at10("overview").p99} ms; SSE ${values.sse} clients event-to-client p99 ${sse.p99} ms (target ≤ 250)`,
  );
} finally {
  await stopApp(app);
  await pg?.drop();
}
