/**
 * The demo exchange: an HTTP server speaking the subset of Binance's spot
 * REST API that ccxt's `binance` class uses, plus a loopback-only admin API
 * under /_demo/. Product code: the first-run venue, the paper venue, and what
 * tests and benchmarks trade against.
 */
import { randomInt } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Decimal } from "decimal.js";
import { z } from "zod";
import { DemoEngine, type Fill } from "./engine";
import { BinanceError, errors } from "./errors";
import { Faults, type Fault } from "./faults";
import { exchangeInfo, symbols, syntheticSymbols, type SymbolSpec } from "./markets";
import { book, intervals, klines, priceAt, type Outage } from "./price-path";
import { authenticate, type Permission } from "./signing";
import { DemoStore, type OrderRow, type TradeRow } from "./store";
import { DemoWebSockets } from "./ws";

export interface DemoExchangeOptions {
  /** SQLite file for accounts, keys, orders (":memory:" for a throwaway exchange) */
  file: string;
  port?: number;
  host?: string;
  log?: (msg: string) => void;
  /** extra synthetic symbols (benchmarks use ~2,000 for a Binance-sized market list) */
  extraSymbols?: number;
}

interface Ctx {
  method: string;
  path: string;
  params: Record<string, string>;
  rawQuery: string;
  rawBody: string;
  apiKey: string | undefined;
  clientIp: string;
  serverTime: number;
  marketTime: number;
}

type Handler = (ctx: Ctx) => unknown;

const accountSchema = z.object({ balances: z.record(z.string().regex(/^[A-Z0-9]{1,12}$/), z.string().regex(/^\d+(\.\d+)?$/)).default({}) });
const permissionsSchema = z.object({ read: z.boolean().default(true), trade: z.boolean().default(false), withdraw: z.boolean().default(false), transfer: z.boolean().default(false) });
const keySchema = z.object({ accountId: z.number().int().positive(), permissions: permissionsSchema.default({ read: true, trade: false, withdraw: false, transfer: false }), ipRestrict: z.boolean().default(false), ips: z.array(z.string()).default([]) });
// no defaults here: zod 4 applies a default inside .partial(), so {withdraw: true} would also turn trade off
const keyPatchSchema = z.object({ permissions: z.object({ read: z.boolean(), trade: z.boolean(), withdraw: z.boolean(), transfer: z.boolean() }).partial().optional(), ipRestrict: z.boolean().optional(), ips: z.array(z.string()).optional() });
const outageSchema = z.object({ symbol: z.string().optional(), from: z.number().int().min(0), to: z.number().int().min(0) }).refine((o) => o.from < o.to, { message: "from must be before to" });
const clockSchema = z.object({ advanceMs: z.number().int().min(0).max(365 * 86_400_000).optional(), pause: z.boolean().optional() });

export class DemoExchange {
  readonly store: DemoStore;
  readonly engine: DemoEngine;
  readonly faults = new Faults();
  /** periods without candles (admin POST /_demo/outages): history with holes, as real exchanges have */
  private outages: Outage[] = [];
  readonly symbols: SymbolSpec[];
  private server: http.Server | undefined;
  private sockets: DemoWebSockets | undefined;
  private matcher: NodeJS.Timeout | undefined;
  /** Called with each API request's path (tests and benchmarks count requests with it). */
  onRequest: ((path: string) => void) | undefined;
  /** The last API requests (admin GET /_demo/requests): what reached the exchange, signed or not, with which key. */
  private readonly requestLog: { id: number; at: number; method: string; path: string; key: string | null; signed: boolean }[] = [];
  private requestSeq = 0;
  private readonly routes = new Map<string, Handler>();

  constructor(private readonly opts: DemoExchangeOptions) {
    this.store = new DemoStore(opts.file);
    this.symbols = [...symbols, ...syntheticSymbols(opts.extraSymbols ?? 0)];
    this.engine = new DemoEngine(this.store, this.store.seed(), new Map(this.symbols.map((s) => [s.id, s])));
    this.registerRoutes();
  }

  /** Market time: wall clock plus the admin offset, or frozen while paused. Persisted. */
  marketTime(): number {
    const paused = this.store.meta("clockPausedAt");
    return paused ? Number(paused) : Date.now() + Number(this.store.meta("clockOffsetMs") ?? 0);
  }

  async listen(): Promise<number> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5000;
    this.sockets = new DemoWebSockets({
      store: this.store, engine: this.engine, symbols: this.symbols, marketTime: () => this.marketTime(),
      ticker: (id, now) => this.ticker24h(id, now),
      keyUsable: (apiKey) => !this.faults.active(apiKey, "/ws-api/v3", Date.now()).some((f) => f.kind === "timeout" || f.kind === "error5xx" || f.kind === "rateLimit"),
    });
    this.server.on("upgrade", (req, socket, head) => this.sockets!.handleUpgrade(req, socket, head));
    // the matching engine runs by itself, as an exchange's does: resting orders fill (and are reported) without anyone asking
    this.matcher = setInterval(() => {
      try {
        this.engine.matchResting(this.marketTime());
      } catch (err) {
        this.opts.log?.(`demo exchange: matching failed: ${(err as Error).message}`);
      }
    }, 250);
    this.matcher.unref();
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(this.opts.port ?? 0, this.opts.host ?? "127.0.0.1", () => resolve());
    });
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    clearInterval(this.matcher);
    this.sockets?.close();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((r) => this.server!.close(() => r()));
    }
    this.store.close();
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://demo");
    const rawBody = await readBody(req);
    const clientIp = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "");
    const ctx: Ctx = {
      method: req.method ?? "GET",
      path: url.pathname,
      params: { ...Object.fromEntries(url.searchParams), ...Object.fromEntries(new URLSearchParams(rawBody)) },
      rawQuery: url.search.slice(1),
      rawBody,
      apiKey: header(req, "x-mbx-apikey"),
      clientIp,
      serverTime: Date.now(),
      marketTime: this.marketTime(),
    };

    if (ctx.path.startsWith("/_demo/")) return this.admin(req, res, ctx, rawBody);
    this.onRequest?.(ctx.path);
    this.requestLog.push({ id: ++this.requestSeq, at: ctx.serverTime, method: ctx.method, path: ctx.path, key: ctx.apiKey ? ctx.apiKey.slice(-8) : null, signed: "signature" in ctx.params });
    if (this.requestLog.length > 100_000) this.requestLog.splice(0, 10_000);

    const faults = this.faults.active(ctx.apiKey, ctx.path, ctx.serverTime, ctx.method);
    const has = (k: Fault["kind"]) => faults.find((f) => f.kind === k);
    const latency = has("latency");
    if (latency) await sleep(latency.ms ?? 1000);
    if (has("timeout")) return; // never answer; the client gives up
    if (has("error5xx")) return send(res, 503, "<html><body><h1>503 Service Unavailable</h1>Maintenance</body></html>", "text/html");
    if (has("rateLimit")) return sendError(res, errors.tooMany());
    if (has("marketClosed")) return sendError(res, errors.marketClosed());
    ctx.serverTime += has("clockSkew")?.ms ?? 0;

    let status = 200;
    let body: unknown;
    try {
      const handler = this.routes.get(`${ctx.method} ${ctx.path}`);
      if (!handler) throw errors.unknownEndpoint();
      body = handler(ctx);
    } catch (caught) {
      let err = caught;
      if (!(err instanceof BinanceError)) {
        this.opts.log?.(`demo exchange: unexpected ${(err as Error).message}`);
        err = new BinanceError(500, -1000, "An unknown error occurred while processing the request.");
      }
      const e = err as BinanceError;
      status = e.status;
      body = { code: e.code, msg: e.message };
    }
    if (has("dropResponse")) {
      req.socket.destroy(); // the request was executed; its answer is lost
      return;
    }
    send(res, status, JSON.stringify(body), "application/json");
  }

  private signed(ctx: Ctx, need: Permission) {
    const key = authenticate(this.store, { apiKeyHeader: ctx.apiKey, rawQuery: ctx.rawQuery, rawBody: ctx.rawBody, params: ctx.params, clientIp: ctx.clientIp, serverTime: ctx.serverTime }, need);
    this.engine.matchResting(ctx.marketTime, key.accountId);
    return key;
  }

  private registerRoutes(): void {
    const r = (method: string, path: string, h: Handler) => this.routes.set(`${method} ${path}`, h);
    r("GET", "/api/v3/ping", () => ({}));
    r("GET", "/api/v3/time", (c) => ({ serverTime: c.serverTime }));
    r("GET", "/api/v3/exchangeInfo", (c) => exchangeInfo(c.serverTime, this.symbols));
    r("GET", "/api/v3/ticker/price", (c) => {
      const list = c.params.symbol ? [this.engine.spec(c.params.symbol)] : this.symbols;
      const rows = list.map((s) => ({ symbol: s.id, price: priceAt(s, this.store.seed(), c.marketTime).toFixed(8) }));
      return c.params.symbol ? rows[0] : rows;
    });
    r("GET", "/api/v3/ticker/24hr", (c) => {
      const list = c.params.symbol ? [this.engine.spec(c.params.symbol)] : this.symbols;
      const rows = list.map((s) => this.ticker24h(s.id, c.marketTime));
      return c.params.symbol ? rows[0] : rows;
    });
    r("GET", "/api/v3/depth", (c) => {
      const s = this.engine.spec(c.params.symbol);
      const limit = Math.min(Number(c.params.limit ?? 100), 1000);
      const b = book(s, this.store.seed(), c.marketTime, Math.min(limit, 50));
      const fmt = (l: [Decimal, Decimal][]) => l.slice(0, limit).map(([p, q]) => [p.toFixed(8), q.toFixed(8)]);
      return { lastUpdateId: Math.floor(c.marketTime / 1000), bids: fmt(b.bids), asks: fmt(b.asks) };
    });
    r("GET", "/api/v3/klines", (c) => {
      const s = this.engine.spec(c.params.symbol);
      const interval = intervals[c.params.interval ?? ""];
      if (!interval) throw errors.badEnum("interval");
      const limit = Math.min(Math.max(Number(c.params.limit ?? 500), 1), 1000);
      return klines(s, this.store.seed(), interval, { startTime: num(c.params.startTime), endTime: num(c.params.endTime), limit, now: c.marketTime, outages: this.outages });
    });

    r("GET", "/api/v3/account", (c) => {
      const key = this.signed(c, "read");
      return {
        makerCommission: 10, takerCommission: 10, buyerCommission: 0, sellerCommission: 0,
        commissionRates: { maker: "0.00100000", taker: "0.00100000", buyer: "0.00000000", seller: "0.00000000" },
        canTrade: !!key.canTrade, canWithdraw: !!key.canWithdraw, canDeposit: true, brokered: false, requireSelfTradePrevention: false, preventSor: false,
        updateTime: c.serverTime, accountType: "SPOT",
        balances: this.store.balances(key.accountId).map((b) => ({ asset: b.asset, free: new Decimal(b.free).toFixed(8), locked: new Decimal(b.locked).toFixed(8) })),
        permissions: ["SPOT"], uid: key.accountId,
      };
    });
    r("GET", "/sapi/v1/account/apiRestrictions", (c) => {
      const key = this.signed(c, "read");
      return {
        ipRestrict: !!key.ipRestrict, createTime: key.createdAt, enableReading: !!key.canRead, enableWithdrawals: !!key.canWithdraw,
        enableInternalTransfer: !!key.canTransfer, enableMargin: false, enableFutures: false, permitsUniversalTransfer: !!key.canTransfer,
        enableVanillaOptions: false, enableFixApiTrade: false, enableFixReadOnly: false, enableSpotAndMarginTrading: !!key.canTrade, enablePortfolioMarginTrading: false,
      };
    });
    r("POST", "/api/v3/order", (c) => {
      const key = this.signed(c, "trade");
      const { order, fills } = this.engine.place(key.accountId, c.params, c.marketTime);
      return orderAnswer(order, fills, c.params.newOrderRespType ?? "FULL"); // Binance's default for MARKET and LIMIT
    });
    r("GET", "/api/v3/order", (c) => {
      const key = this.signed(c, "read");
      const s = this.engine.spec(c.params.symbol);
      const by = c.params.orderId ? { orderId: Number(c.params.orderId) } : c.params.origClientOrderId ? { clientOrderId: c.params.origClientOrderId } : undefined;
      if (!by) throw errors.mandatory("orderId");
      const order = this.store.order(key.accountId, s.id, by);
      if (!order) throw errors.noSuchOrder();
      return orderView(order);
    });
    r("DELETE", "/api/v3/order", (c) => {
      const key = this.signed(c, "trade");
      const by = c.params.orderId ? { orderId: Number(c.params.orderId) } : { clientOrderId: c.params.origClientOrderId };
      return cancelAnswer(this.engine.cancel(key.accountId, c.params.symbol, by, c.marketTime));
    });
    r("GET", "/api/v3/openOrders", (c) => {
      const key = this.signed(c, "read");
      const symbol = c.params.symbol ? this.engine.spec(c.params.symbol).id : undefined;
      return this.store.openOrders(key.accountId, symbol).map(orderView);
    });
    r("DELETE", "/api/v3/openOrders", (c) => {
      const key = this.signed(c, "trade");
      return this.engine.cancelAll(key.accountId, c.params.symbol, c.marketTime).map(cancelAnswer);
    });
    r("GET", "/api/v3/allOrders", (c) => {
      const key = this.signed(c, "read");
      const s = this.engine.spec(c.params.symbol);
      return this.store.allOrders(key.accountId, s.id, Math.min(Number(c.params.limit ?? 500), 1000), num(c.params.startTime), num(c.params.orderId)).map(orderView);
    });
    r("GET", "/api/v3/myTrades", (c) => {
      const key = this.signed(c, "read");
      const s = this.engine.spec(c.params.symbol);
      return this.store.trades(key.accountId, s.id, { orderId: num(c.params.orderId), fromId: num(c.params.fromId), startTime: num(c.params.startTime), endTime: num(c.params.endTime), limit: Math.min(Number(c.params.limit ?? 500), 1000) }).map(tradeView);
    });
  }

  /** The day's figures of a symbol, computed once per second of market time (sampling a day costs ~15 ms). */
  private readonly dayStats = new Map<string, { second: number; row: (string | number)[] | undefined }>();

  private ticker24h(symbolId: string, now: number) {
    const s = this.engine.spec(symbolId);
    const seed = this.store.seed();
    const second = Math.floor(now / 1000);
    let stats = this.dayStats.get(s.id);
    if (stats?.second !== second) {
      stats = { second, row: klines(s, seed, 86_400_000, { startTime: second * 1000 - 86_400_000, limit: 1, now: second * 1000 })[0] };
      this.dayStats.set(s.id, stats);
    }
    const [, open, high, low, , volume, , quoteVolume] = stats.row ?? [];
    const last = priceAt(s, seed, now);
    const b = book(s, seed, now, 1);
    const change = last.sub(open as string);
    return {
      symbol: s.id, priceChange: change.toFixed(8), priceChangePercent: change.div(open as string).mul(100).toFixed(3), weightedAvgPrice: last.toFixed(8),
      prevClosePrice: new Decimal(open as string).toFixed(8), lastPrice: last.toFixed(8), lastQty: "0.00000000",
      bidPrice: b.bids[0]![0].toFixed(8), bidQty: b.bids[0]![1].toFixed(8), askPrice: b.asks[0]![0].toFixed(8), askQty: b.asks[0]![1].toFixed(8),
      openPrice: new Decimal(open as string).toFixed(8), highPrice: high, lowPrice: low, volume, quoteVolume,
      openTime: now - 86_400_000, closeTime: now, firstId: 0, lastId: 0, count: 0,
    };
  }

  private admin(req: http.IncomingMessage, res: http.ServerResponse, ctx: Ctx, rawBody: string): void {
    if (!isLoopbackAddress(ctx.clientIp)) return send(res, 403, JSON.stringify({ error: "The demo admin API answers loopback clients only." }), "application/json");
    // A web page in the user's browser must not drive it: browsers send Origin with cross-origin requests,
    // and a body they may send without a CORS preflight is never JSON.
    if (req.headers.origin !== undefined) return send(res, 403, JSON.stringify({ error: "The demo admin API refuses requests from web pages (Origin header)." }), "application/json");
    const type = header(req, "content-type");
    if ((rawBody || type) && !/^application\/json\s*(;|$)/i.test(type ?? "")) return send(res, 415, JSON.stringify({ error: "Send JSON with Content-Type: application/json." }), "application/json");
    let json: unknown = {};
    try {
      json = rawBody ? JSON.parse(rawBody) : {};
    } catch {
      return send(res, 400, JSON.stringify({ error: "Body must be JSON." }), "application/json");
    }
    try {
      const out = this.adminRoute(ctx.method, ctx.path, json, ctx);
      send(res, out === undefined ? 404 : 200, JSON.stringify(out ?? { error: "No such admin endpoint." }), "application/json");
    } catch (err) {
      const message = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") : (err as Error).message;
      send(res, 400, JSON.stringify({ error: message }), "application/json");
    }
  }

  private requireAccount(id: number): void {
    if (!this.store.accountExists(id)) throw new Error(`No demo account ${id}; create one with POST /_demo/accounts.`);
  }

  private adminRoute(method: string, path: string, body: unknown, ctx: Ctx): unknown {
    const keyPath = /^\/_demo\/keys\/([A-Za-z0-9]{64})$/.exec(path);
    if (method === "POST" && path === "/_demo/accounts") return { accountId: this.store.createAccount(accountSchema.parse(body).balances, ctx.serverTime) };
    const deposit = /^\/_demo\/accounts\/(\d+)\/deposit$/.exec(path);
    if (method === "POST" && deposit) {
      const accountId = Number(deposit[1]);
      this.requireAccount(accountId);
      const { balances } = accountSchema.parse(body);
      this.store.tx(() => {
        for (const [asset, amount] of Object.entries(balances)) {
          const b = this.store.balance(accountId, asset);
          this.store.setBalance(accountId, asset, new Decimal(b.free).add(amount).toFixed(), b.locked);
        }
      });
      return { balances: this.store.balances(accountId) };
    }
    if (method === "POST" && path === "/_demo/keys") {
      const k = keySchema.parse(body);
      this.requireAccount(k.accountId);
      const apiKey = randomAlphanumeric(64); // as Binance mints them: 64 letters and digits
      const secret = randomAlphanumeric(64);
      const p = k.permissions;
      this.store.insertKey({ apiKey, secret, accountId: k.accountId, canRead: +p.read, canTrade: +p.trade, canWithdraw: +p.withdraw, canTransfer: +p.transfer, ipRestrict: +k.ipRestrict, ips: JSON.stringify(k.ips), createdAt: ctx.serverTime, revokedAt: null });
      return { apiKey, secret };
    }
    if (method === "DELETE" && keyPath) return this.store.revokeKey(keyPath[1]!, ctx.serverTime) ? { revoked: true } : undefined;
    if (method === "PATCH" && keyPath) {
      const k = keyPatchSchema.parse(body);
      const p = k.permissions ?? {};
      const fields = {
        ...(p.read !== undefined ? { canRead: +p.read } : {}), ...(p.trade !== undefined ? { canTrade: +p.trade } : {}),
        ...(p.withdraw !== undefined ? { canWithdraw: +p.withdraw } : {}), ...(p.transfer !== undefined ? { canTransfer: +p.transfer } : {}),
        ...(k.ipRestrict !== undefined ? { ipRestrict: +k.ipRestrict } : {}), ...(k.ips !== undefined ? { ips: JSON.stringify(k.ips) } : {}),
      };
      return this.store.updateKey(keyPath[1]!, fields) ? { updated: true } : undefined;
    }
    if (method === "GET" && path === "/_demo/requests") {
      const since = Number(ctx.params.since ?? 0);
      const key = ctx.params.key;
      return { requests: this.requestLog.filter((r) => r.id > since && (!key || r.key === key.slice(-8))), last: this.requestSeq };
    }
    if (method === "GET" && path === "/_demo/subscriptions") return { userData: this.sockets?.userSubscriptions() ?? [] };
    if (method === "POST" && path === "/_demo/faults") return this.faults.add(body as never, ctx.serverTime);
    if (method === "DELETE" && path === "/_demo/faults") return (this.faults.clear(), { cleared: true });
    if (method === "POST" && path === "/_demo/outages") return (this.outages.push(outageSchema.parse(body)), { outages: this.outages });
    if (method === "DELETE" && path === "/_demo/outages") return (this.outages = [], { cleared: true });
    if (method === "POST" && path === "/_demo/clock") {
      const c = clockSchema.parse(body);
      const now = this.marketTime();
      const target = now + (c.advanceMs ?? 0);
      if (c.pause === true || (c.pause === undefined && this.store.meta("clockPausedAt"))) this.store.setMeta("clockPausedAt", String(target));
      else {
        this.store.db.prepare("DELETE FROM meta WHERE key = 'clockPausedAt'").run();
        this.store.setMeta("clockOffsetMs", String(target - Date.now()));
      }
      return { marketTime: this.marketTime(), paused: !!this.store.meta("clockPausedAt") };
    }
    return undefined;
  }
}

/** The admin API answers only these. */
export function isLoopbackAddress(ip: string): boolean {
  const v4 = ip.replace(/^::ffff:/, "");
  return v4 === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

function orderView(o: OrderRow) {
  return {
    symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, price: new Decimal(o.price).toFixed(8), origQty: o.origQty,
    executedQty: new Decimal(o.executedQty).toFixed(8), cummulativeQuoteQty: new Decimal(o.cummulativeQuoteQty).toFixed(8), status: o.status,
    timeInForce: o.timeInForce, type: o.type, side: o.side, stopPrice: "0.00000000", icebergQty: "0.00000000", time: o.time, updateTime: o.updateTime,
    isWorking: true, workingTime: o.time, origQuoteOrderQty: "0.00000000", selfTradePreventionMode: "NONE",
  };
}

function orderAnswer(o: OrderRow, fills: Fill[], respType: string) {
  const ack = { symbol: o.symbol, orderId: o.orderId, orderListId: -1, clientOrderId: o.clientOrderId, transactTime: o.time };
  if (respType === "ACK") return ack;
  const { time: _t, updateTime: _u, isWorking: _w, stopPrice: _s, icebergQty: _i, ...rest } = orderView(o);
  const result = { ...ack, ...rest, workingTime: o.time };
  if (respType === "RESULT") return result;
  return { ...result, fills: fills.map((f) => ({ price: f.price.toFixed(8), qty: f.qty.toFixed(8), commission: f.commission.toFixed(8), commissionAsset: f.commissionAsset, tradeId: f.tradeId })) };
}

function cancelAnswer(o: OrderRow) {
  const { time: _t, updateTime: _u, isWorking: _w, workingTime: _wt, stopPrice: _s, icebergQty: _i, origQuoteOrderQty: _q, ...rest } = orderView(o);
  return { ...rest, origClientOrderId: o.clientOrderId, transactTime: o.updateTime };
}

function tradeView(t: TradeRow) {
  return { symbol: t.symbol, id: t.id, orderId: t.orderId, orderListId: -1, price: t.price, qty: t.qty, quoteQty: t.quoteQty, commission: t.commission, commissionAsset: t.commissionAsset, time: t.time, isBuyer: !!t.isBuyer, isMaker: !!t.isMaker, isBestMatch: true };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function num(v: string | undefined): number | undefined {
  return v === undefined || v === "" ? undefined : Number(v);
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      data += c;
      if (data.length > 1_000_000) req.destroy();
    });
    req.on("end", () => resolve(data));
    req.on("error", reject);
  });
}

function send(res: http.ServerResponse, status: number, body: string, type: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res: http.ServerResponse, e: BinanceError): void {
  send(res, e.status, JSON.stringify({ code: e.code, msg: e.message }), "application/json");
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

const alphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `n` letters and digits, each uniformly random (no padding). */
export function randomAlphanumeric(n: number): string {
  let out = "";
  for (let i = 0; i < n; i++) out += alphanumeric[randomInt(alphanumeric.length)];
  return out;
}
