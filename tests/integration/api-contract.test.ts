/**
 * The /api/v1 contract: Keyward runs as `npm start` runs it, the test reads
 * /api/v1/openapi.json and calls every documented operation — without a token,
 * with a token lacking its scope, with an unknown id, with a bad query or
 * body, and with good input — and checks each answer's status is documented
 * for that operation and its body matches the documented JSON Schema. Every
 * documented status of every operation must have been seen (a short list
 * names the few that need a broken system, and why). Every /api/v1 route in
 * the build must be documented.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createUser } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { mintDemoKey } from "@/lib/exchange/demo/admin-client";
import { startApp, stopApp, waitFor, waitForWorker, type RunningApp } from "../helpers/app-process";

type Method = "get" | "post" | "put" | "delete";
interface Operation {
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
  parameters?: { name: string; in: string }[];
  requestBody?: object;
}
interface Doc {
  paths: Record<string, Partial<Record<Method, Operation>>>;
}

/** Statuses no healthy system can produce on demand. */
const unreachable: Record<string, string> = {
  "post /api/v1/keys/{id}/recheck 503": "needs the worker down",
};

const port = 3350;
const base = `http://127.0.0.1:${port}`;
const demoUrl = `http://127.0.0.1:${port + 1}`;

describe("/api/v1 answers as /api/v1/openapi.json says", () => {
  let app: RunningApp;
  let db: Db;
  let doc: Doc;
  const tokens = {} as Record<"all" | "readOnly" | "operateOnly", string>;
  const seen = new Set<string>();
  const ajv = new Ajv2020({ strict: false, allErrors: true });

  /** Calls an operation and checks its answer against the document; returns the status and body. */
  async function call(method: Method, template: string, opts: { path?: string; query?: string; body?: unknown; token?: string | null } = {}): Promise<{ status: number; body: unknown }> {
    const op = doc.paths[template]?.[method];
    expect(op, `${method} ${template} is documented`).toBeDefined();
    const token = opts.token === undefined ? tokens.all : opts.token;
    const res = await fetch(`${base}${opts.path ?? template}${opts.query ?? ""}`, {
      method: method.toUpperCase(),
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(opts.body !== undefined ? { "content-type": "application/json" } : {}) },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const documented = op!.responses[String(res.status)];
    const type = res.headers.get("content-type") ?? "";
    const text = type.startsWith("text/event-stream") ? (await res.body!.cancel(), "") : await res.text();
    expect(documented, `${method} ${template}${opts.query ?? ""} answered ${res.status}, which is not documented: ${text.slice(0, 300)}`).toBeDefined();
    seen.add(`${method} ${template} ${res.status}`);
    const media = Object.keys(documented!.content ?? {})[0];
    if (media === "application/json") {
      expect(type).toMatch(/^application\/json/);
      const body = JSON.parse(text) as unknown;
      const ok = ajv.validate(documented!.content![media]!.schema, body);
      expect(ok, `${method} ${template} ${res.status}: ${ajv.errorsText(ajv.errors)}\n${text.slice(0, 500)}`).toBe(true);
      return { status: res.status, body };
    }
    if (media) expect(type.startsWith(media), `${method} ${template}: ${type} is not ${media}`).toBe(true);
    return { status: res.status, body: text };
  }

  beforeAll(async () => {
    app = startApp(port);
    await waitForWorker(app);
    db = createDb(`file:${app.dataDir}/keyward.db`);
    const system = { id: null, label: "test" };
    const owner = await createUser(db, { email: "contract@example.test", role: "owner", password: "contract-password-1234" }, system);
    const mint = async (scopes: ("read" | "operate" | "admin")[]) => (await createApiToken(db, owner.id, { name: scopes.join("+"), scopes, expiresInMs: 3_600_000 }, system)).token;
    tokens.all = await mint(["read", "operate", "admin"]);
    tokens.readOnly = await mint(["read"]);
    tokens.operateOnly = await mint(["operate"]);
    doc = (await (await fetch(`${base}/api/v1/openapi.json`, { headers: { authorization: `Bearer ${tokens.all}` } })).json()) as Doc;
  }, 300_000);

  afterAll(async () => {
    await db?.$disconnect();
    if (app) await stopApp(app);
  });

  it("every documented operation, its errors included", async () => {
    const operations = Object.entries(doc.paths).flatMap(([p, ops]) => (Object.keys(ops) as Method[]).map((m) => [m, p] as const));
    // the same errors for every operation
    for (const [method, template] of operations) {
      const filled = template.replace("{id}", "no-such-id");
      expect((await call(method, template, { path: filled, token: null })).status).toBe(401);
      for (const token of [tokens.readOnly, tokens.operateOnly]) await call(method, template, { path: filled, token, body: method === "get" || method === "delete" ? undefined : {} });
      if (template.includes("{id}")) await call(method, template, { path: filled, body: method === "put" ? {} : undefined });
      if (doc.paths[template]![method]!.requestBody) expect((await call(method, template, { body: { nonsense: true }, path: template.includes("{id}") ? filled : template })).status).toBeGreaterThanOrEqual(400);
    }

    // good input, in the order a script would go
    expect((await call("get", "/api/v1/me")).status).toBe(200);
    expect((await call("get", "/api/v1/openapi.json")).status).toBe(200);
    const strategies = (await call("get", "/api/v1/strategies")).body as { strategies: { id: string }[] };
    expect(strategies.strategies.map((s) => s.id)).toContain("market-maker");

    const risky = await mintDemoKey(demoUrl, { read: true, trade: true, withdraw: true, ipRestrict: true });
    const refused = await call("post", "/api/v1/keys", { body: { exchange: "demo", label: "risky", apiKey: risky.apiKey, secret: risky.secret } });
    expect(refused.status).toBe(422);
    expect((await call("post", "/api/v1/keys", { body: { exchange: "demo", label: "bad", apiKey: "x".repeat(64), secret: "y".repeat(64) } })).status).toBe(422);
    const creds = await mintDemoKey(demoUrl, { read: true, trade: true, withdraw: false, ipRestrict: true });
    const added = await call("post", "/api/v1/keys", { body: { exchange: "demo", label: "contract", apiKey: creds.apiKey, secret: creds.secret } });
    expect(added.status).toBe(201);
    const keyId = (added.body as { key: { id: string } }).key.id;
    expect((await call("post", "/api/v1/keys", { body: { exchange: "demo", label: "again", apiKey: creds.apiKey, secret: creds.secret } })).status).toBe(409);
    const nested = await call("post", "/api/v1/keys", { body: { exchange: "demo", label: "nested", apiKey: creds.apiKey, secret: creds.secret, declared: { read: true, trade: true, withdraw: false, ipRestricted: true, transfer: false } } });
    expect(nested.status).toBe(422);
    expect(JSON.stringify(nested.body)).toContain("declared.transfer: not a field of this request");
    expect((await call("get", "/api/v1/keys")).status).toBe(200);
    expect((await call("post", "/api/v1/keys/{id}/recheck", { path: `/api/v1/keys/${keyId}/recheck` })).status).toBe(200);

    const botInput = { name: "contract-mm", keyId, symbol: "DEMO/USDT", strategy: "market-maker", params: { spreadPct: "20", orderQuote: "15" }, mode: "live", tickSeconds: 1, maxOrderNotional: "50", maxDailyLoss: "50", maxOpenOrders: 4 };
    expect((await call("post", "/api/v1/bots", { body: { ...botInput, symbol: "nonsense" } })).status).toBe(422);
    // two fields wrong: both named, in one sentence (not "… 3600.; maxOpenOrders: …")
    const twoWrong = await call("post", "/api/v1/bots", { body: { ...botInput, tickSeconds: 0, maxOpenOrders: 0 } });
    expect(twoWrong.body).toEqual({ error: { code: "invalid", message: "tickSeconds: Tick must be a whole number from 1 to 3600; maxOpenOrders: Max open orders must be a whole number from 1 to 100." } });
    const { keyId: _omitted, ...withoutKey } = botInput;
    expect(JSON.stringify((await call("post", "/api/v1/bots", { body: withoutKey })).body)).toContain("keyId: required (see /api/v1/openapi.json)");
    // a parameter the strategy does not have is named, not dropped (it would keep the default)
    const misspeltBot = await call("post", "/api/v1/bots", { body: { ...botInput, params: { ...botInput.params, spread: "1" } } });
    expect(misspeltBot.status).toBe(422);
    expect(JSON.stringify(misspeltBot.body)).toContain("Not a parameter of Market maker; its parameters are spreadPct, orderQuote, maxInventoryQuote.");
    // so is a field the request does not have: a misspelt risk limit would leave the bot without it
    const misspeltLimit = await call("post", "/api/v1/bots", { body: { ...botInput, maxPositon: "1" } });
    expect(misspeltLimit.status).toBe(422);
    expect(JSON.stringify(misspeltLimit.body)).toContain("maxPositon: not a field of this request");
    // an order size every order of which would be refused: over the risk limit, or under the market's minimum (DEMO/USDT: 1 USDT)
    const overLimit = await call("post", "/api/v1/bots", { body: { ...botInput, params: { ...botInput.params, orderQuote: "60" } } });
    expect(overLimit.status).toBe(422);
    expect(JSON.stringify(overLimit.body)).toContain("Each order of 60 is more than the max order notional of 50: the risk limits would refuse every one.");
    const underMinimum = await call("post", "/api/v1/bots", { body: { ...botInput, params: { ...botInput.params, orderQuote: "0.5" } } });
    expect(underMinimum.status).toBe(422);
    expect(JSON.stringify(underMinimum.body)).toContain("Each order of 0.5 USDT is under DEMO/USDT's minimum order of 1 USDT on demo: the exchange would refuse every one.");
    const created = await call("post", "/api/v1/bots", { body: botInput });
    expect(created.status).toBe(201);
    const botId = (created.body as { bot: { id: string } }).bot.id;
    expect((await call("put", "/api/v1/bots/{id}", { path: `/api/v1/bots/${botId}`, body: { ...botInput, maxOrderNotional: "10" } })).status).toBe(422); // the same on an edit
    expect((await call("post", "/api/v1/bots", { body: { ...botInput, name: "contract-2" } })).status).toBe(409); // its key is taken
    expect((await call("put", "/api/v1/bots/{id}", { path: `/api/v1/bots/${botId}`, body: { ...botInput, tickSeconds: 2 } })).status).toBe(200);
    expect((await call("put", "/api/v1/bots/{id}", { path: `/api/v1/bots/${botId}`, body: { ...botInput, maxOpenOrders: 0 } })).status).toBe(422);
    const bot = (p: string) => ({ path: `/api/v1/bots/${botId}/${p}` });
    expect((await call("post", "/api/v1/bots/{id}/pause", bot("pause"))).status).toBe(422); // not running
    expect((await call("get", "/api/v1/bots/{id}/replay", bot("replay"))).status).toBe(422); // no order yet
    expect((await call("post", "/api/v1/bots/{id}/start", bot("start"))).status).toBe(202);
    expect((await call("post", "/api/v1/bots/{id}/start", bot("start"))).status).toBe(422); // already started
    expect((await call("delete", "/api/v1/bots/{id}", { path: `/api/v1/bots/${botId}` })).status).toBe(422); // not stopped

    await waitFor("an open order", async () => (await db.order.findFirst({ where: { botId, status: "open" } })) ?? undefined, 30_000, app).catch(async (err: Error) => {
      throw new Error(`${err.message}\nbot: ${JSON.stringify(await db.bot.findUnique({ where: { id: botId }, select: { status: true, statusMessage: true, lastError: true } }))}`);
    });
    const openOrder = ((await call("get", "/api/v1/bots/{id}/orders", { ...bot("orders"), query: "?status=open" })).body as { orders: { id: string }[] }).orders[0]!;
    expect((await call("get", "/api/v1/bots/{id}", { path: `/api/v1/bots/${botId}` })).status).toBe(200);
    expect((await call("get", "/api/v1/bots")).status).toBe(200);
    expect(((await call("get", "/api/v1/bots", { query: "?limit=1" })).body as { bots: unknown[] }).bots).toHaveLength(1);
    expect((await call("get", "/api/v1/bots", { query: "?cursor=garbage" })).status).toBe(400);
    for (const [p, q] of [["orders", "?limit=1"], ["trades", ""], ["events", "?limit=5"], ["balances", ""]] as const) expect((await call("get", `/api/v1/bots/{id}/${p}`, { ...bot(p), query: q })).status).toBe(200);
    // the CSV of all fills: a script's download for its accounting, every fill the page of JSON listed before it
    const listed = ((await call("get", "/api/v1/bots/{id}/trades", bot("trades"))).body as { trades: { exchangeTradeId: string }[] }).trades.map((t) => t.exchangeTradeId);
    const [header, ...lines] = ((await call("get", "/api/v1/bots/{id}/trades.csv", bot("trades.csv"))).body as string).trimEnd().split("\r\n");
    expect(header).toBe("time_utc,symbol,side,price,amount,quote_amount,fee,fee_currency,mode,exchange_trade_id,client_order_id");
    expect(lines.map((l) => l.split(",")[9])).toEqual(expect.arrayContaining(listed));
    for (const [p, q] of [["orders", "?limit=999"], ["orders", "?status=open,filed"], ["trades", "?cursor=garbage"], ["events", "?limit=x"]] as const) expect((await call("get", `/api/v1/bots/{id}/${p}`, { ...bot(p), query: q })).status).toBe(400);
    expect((await call("get", "/api/v1/bots", { query: "?limit=abc" })).body).toEqual({ error: { code: "bad_query", message: "limit: a whole number from 1 to 500" } });
    expect((await call("get", "/api/v1/events", { query: "?types=order,bot&limit=3" })).status).toBe(200);
    expect((await call("get", "/api/v1/events", { query: "?types=nonsense" })).status).toBe(400);
    // a misspelt filter would otherwise answer unfiltered: refused by name
    const misspeltFilter = await call("get", "/api/v1/events", { query: "?bots=someone&limit=3" });
    expect(misspeltFilter.status).toBe(400);
    expect(JSON.stringify(misspeltFilter.body)).toContain("bots: not a query parameter");
    expect((await call("get", "/api/v1/balances")).status).toBe(200);
    expect((await call("get", "/api/v1/balances", { query: "?paper=maybe" })).status).toBe(400);
    expect((await call("get", "/api/v1/stream", { query: "?types=trade" })).status).toBe(200);
    expect((await call("get", "/api/v1/stream", { query: "?types=nonsense" })).status).toBe(400);
    expect((await call("get", "/api/v1/stream", { query: "?type=order" })).status).toBe(400);

    expect((await call("post", "/api/v1/orders/{id}/cancel", { path: `/api/v1/orders/${openOrder.id}/cancel` })).status).toBe(202);
    await waitFor("the order cancelled", async () => ((await db.order.findUnique({ where: { id: openOrder.id } }))?.status === "canceled" ? true : undefined), 15_000, app);
    expect((await call("post", "/api/v1/orders/{id}/cancel", { path: `/api/v1/orders/${openOrder.id}/cancel` })).status).toBe(422); // no longer open

    expect((await call("post", "/api/v1/bots/{id}/pause", bot("pause"))).status).toBe(202);
    expect((await call("post", "/api/v1/bots/{id}/resume", bot("resume"))).status).toBe(202);
    expect((await call("post", "/api/v1/bots/{id}/resume", bot("resume"))).status).toBe(422);
    expect((await call("post", "/api/v1/bots/{id}/stop", { ...bot("stop"), query: "?cancelOrders=maybe" })).status).toBe(400);
    expect((await call("post", "/api/v1/kill-switch")).status).toBe(202);
    expect((await call("post", "/api/v1/bots/{id}/stop", bot("stop"))).status).toBe(202);
    await waitFor("the bot stopped", async () => ((await db.bot.findUnique({ where: { id: botId } }))?.status === "stopped" ? true : undefined), 30_000, app);
    // the replay needs a closed candle of the period the bot ran (1 m here): it may take until the minute ends
    await waitFor("a replay", async () => ((await call("get", "/api/v1/bots/{id}/replay", bot("replay"))).status === 200 ? true : undefined), 75_000, app);
    expect((await call("delete", "/api/v1/bots/{id}", { path: `/api/v1/bots/${botId}` })).status).toBe(200);
    // a misread flag on a destructive call is refused, not taken as false: the key stays
    expect((await call("delete", "/api/v1/keys/{id}", { path: `/api/v1/keys/${keyId}`, query: "?cancelOrders=yes" })).status).toBe(400);
    expect((await db.exchangeKey.findUnique({ where: { id: keyId } }))?.status).toBe("active");
    expect((await call("delete", "/api/v1/keys/{id}", { path: `/api/v1/keys/${keyId}` })).status).toBe(200);

    // alert channels: a webhook on this machine (loopback is allowed by default), the metadata address never
    const received: string[] = [];
    const hook = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        received.push(body);
        res.end("ok");
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    const hookUrl = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    expect((await call("post", "/api/v1/notifications/channels", { body: { type: "webhook", name: "metadata", url: "http://169.254.169.254/latest/meta-data" } })).status).toBe(422);
    const channel = await call("post", "/api/v1/notifications/channels", { body: { type: "webhook", name: "contract hook", url: hookUrl, secret: "contract-hook-secret" } });
    expect(channel.status).toBe(201);
    const channelId = (channel.body as { channel: { id: string } }).channel.id;
    expect(JSON.stringify((await call("get", "/api/v1/notifications/channels")).body)).not.toContain("contract-hook-secret");
    const channelPath = (p: string) => ({ path: `/api/v1/notifications/channels/${channelId}${p}` });
    expect((await call("post", "/api/v1/notifications/channels/{id}/test", channelPath("/test"))).status).toBe(202);
    await waitFor("the test alert delivered", async () => (((await call("get", "/api/v1/notifications/channels/{id}/deliveries", channelPath("/deliveries"))).body as { deliveries: { status: string }[] }).deliveries[0]?.status === "sent" ? true : undefined), 20_000, app);
    expect(JSON.parse(received[0]!)).toMatchObject({ event: "test", severity: "info" });
    expect((await call("get", "/api/v1/notifications/channels/{id}/deliveries", { ...channelPath("/deliveries"), query: "?limit=x" })).status).toBe(400);
    expect((await call("delete", "/api/v1/notifications/channels/{id}", channelPath(""))).status).toBe(200);
    hook.close();

    // backtests: one on CSV candles queued, read with its report once done; candles of another timeframe refused
    const hourly = Array.from({ length: 120 }, (_, i) => {
      const c = (100 + 10 * Math.sin(i / 6)).toFixed(2);
      return `${1_733_011_200_000 + i * 3_600_000},${c},${Number(c) + 1},${Number(c) - 1},${c},1`;
    }).join("\n");
    // with a bot's risk limit: every buy of the whole balance is held to what it lets a market buy name (500 / 1.01)
    const backtest = { name: "contract backtest", strategy: "sma-cross", symbol: "DEMO/USDT", timeframe: "1h", source: "csv", csv: hourly, params: { fast: 3, slow: 12 }, maxOrderNotional: "500" };
    const wrongTimeframe = await call("post", "/api/v1/backtests", { body: { ...backtest, timeframe: "1m" } });
    expect(wrongTimeframe.status).toBe(422);
    expect(JSON.stringify(wrongTimeframe.body)).toContain("The candles are 1h apart, but the timeframe is 1m");
    expect((wrongTimeframe.body as { error: { message: string } }).error.message.split("The candles are").length).toBe(2); // said once, not again as the field's error
    const seconds = await call("post", "/api/v1/backtests", { body: { ...backtest, csv: hourly.replace(/^(\d{10})000,/gm, "$1,") } });
    expect(seconds.status).toBe(422);
    expect(JSON.stringify(seconds.body)).toContain("Line 1: the timestamp 1733011200 looks like seconds (2024-12-01); the CSV needs milliseconds since 1970: 1733011200000.");
    const misspelt = await call("post", "/api/v1/backtests", { body: { ...backtest, params: { fast: 3, slowe: 12 } } });
    expect(misspelt.status).toBe(422);
    expect(JSON.stringify(misspelt.body)).toContain("Not a parameter of SMA cross");
    const clash = await call("post", "/api/v1/backtests", { body: { ...backtest, params: { fast: 3, slow: 12, timeframe: "1m" } } });
    expect(clash.status).toBe(422);
    expect(JSON.stringify(clash.body)).toContain("The candles are 1h, and SMA cross reads its candles in its timeframe");
    // a sweep as the form's text or as an object of value lists; anything else says which two shapes it takes
    const badSweep = await call("post", "/api/v1/backtests", { body: { ...backtest, sweep: 5 } });
    expect(badSweep.status).toBe(422);
    expect((badSweep.body as { error: { message: string } }).error.message).toContain('or as an object, {"fast": [5, 10, 20], "slow": [30, 50]}');
    const swept = await call("post", "/api/v1/backtests", { body: { ...backtest, name: "contract sweep", sweep: { fast: [2, 3], slow: ["12"] } } });
    expect(swept.status).toBe(202);
    expect((swept.body as { backtest: { config: { sweep?: object } } }).backtest.config.sweep).toEqual({ fast: ["2", "3"], slow: ["12"] });
    const queued = await call("post", "/api/v1/backtests", { body: backtest });
    expect(queued.status).toBe(202);
    const backtestId = (queued.body as { backtest: { id: string } }).backtest.id;
    const finished = await waitFor("the backtest done", async () => {
      const r = (await call("get", "/api/v1/backtests/{id}", { path: `/api/v1/backtests/${backtestId}` })).body as { backtest: { status: string; config: { limits?: object }; report: { config: { candles: number; limits: object }; summary: { fills: number }; fills: { side: string; quote: string }[] } | null } };
      return r.backtest.status === "done" ? r.backtest : undefined;
    }, 60_000, app);
    expect(finished.report!.config.candles).toBe(120);
    expect(finished.report!.summary.fills).toBeGreaterThan(0);
    expect(finished.config.limits).toEqual({ maxOrderNotional: "500" });
    expect(finished.report!.config.limits).toEqual({ maxOrderNotional: "500" });
    const buys = finished.report!.fills.filter((f) => f.side === "buy").map((f) => f.quote);
    expect(buys.length).toBeGreaterThan(0);
    expect(new Set(buys)).toEqual(new Set(["495.04950495"]));
    expect(((await call("get", "/api/v1/backtests", { query: "?limit=1" })).body as { backtests: { id: string }[] }).backtests.map((b) => b.id)).toEqual([backtestId]);
    expect((await call("get", "/api/v1/backtests", { query: "?cursor=garbage" })).status).toBe(400);

    // every documented answer was seen
    const documented = operations.flatMap(([m, p]) => Object.keys(doc.paths[p]![m]!.responses).map((s) => `${m} ${p} ${s}`));
    const missing = documented.filter((d) => !seen.has(d) && !(d in unreachable));
    expect(missing, "documented answers this test never saw").toEqual([]);
  }, 330_000);

  it("every /api/v1 route in the build is documented", () => {
    const routes = Object.values(JSON.parse(readFileSync(path.join(process.cwd(), ".next/app-path-routes-manifest.json"), "utf8")) as Record<string, string>)
      .filter((r) => r.startsWith("/api/v1/") && !r.includes("[...path]"))
      .map((r) => r.replace(/\[(\w+)\]/g, "{$1}"));
    const documented = Object.keys(doc.paths);
    // /bots/{id}/{sub} serves several documented paths
    const undocumented = routes.filter((r) => !documented.includes(r) && !(r === "/api/v1/bots/{id}/{sub}" && documented.some((d) => /^\/api\/v1\/bots\/\{id\}\/\w+$/.test(d))));
    expect(undocumented).toEqual([]);
  });
});
