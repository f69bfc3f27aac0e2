/**
 * The demo exchange's WebSockets: the parts of Binance's WebSocket APIs that
 * ccxt.pro's `binance` class uses, so its real class works against the demo
 * unmodified.
 *
 *  /ws, /ws/N   market streams: {"method":"SUBSCRIBE","params":["btcusdt@ticker","btcusdt@kline_1m"],"id":1}
 *               → {"result":null,"id":1}, then a `24hrTicker`, `24hrMiniTicker` or `kline` event per stream every second
 *  /ws-api/v3   the WebSocket API: `userDataStream.subscribe.signature` (params apiKey, timestamp,
 *               recvWindow, signature = HMAC-SHA256 of the other params sorted by name, checked like a
 *               signed REST request) → {"id","status":200,"result":{"subscriptionId":N}}; then every change
 *               of the account's orders as {"subscriptionId":N,"event":{"e":"executionReport",…}} at once
 */
import type http from "node:http";
import type { Duplex } from "node:stream";
import { Decimal } from "decimal.js";
import { WebSocketServer, type WebSocket } from "ws";
import type { DemoEngine, OrderChange } from "./engine";
import { BinanceError } from "./errors";
import type { SymbolSpec } from "./markets";
import { intervals, klines } from "./price-path";
import { authenticate } from "./signing";
import type { DemoStore } from "./store";

export interface DemoWsContext {
  store: DemoStore;
  engine: DemoEngine;
  symbols: SymbolSpec[];
  marketTime(): number;
  ticker(symbolId: string, now: number): Record<string, string | number | undefined>;
  /** whether the key may be used now (faults: a key under a timeout or 5xx fault gets no stream either) */
  keyUsable(apiKey: string): boolean;
}

interface UserSubscription {
  ws: WebSocket;
  accountId: number;
  id: number;
}

export class DemoWebSockets {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly market = new Map<WebSocket, Set<string>>();
  private readonly users = new Set<UserSubscription>();
  private nextSubscriptionId = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly onChange = (c: OrderChange) => this.pushOrderChange(c);

  constructor(private readonly ctx: DemoWsContext) {
    ctx.engine.changes.on("change", this.onChange);
    this.timer = setInterval(() => this.pushMarketStreams(), 1000);
    this.timer.unref();
  }

  /** The accounts with a live user-data subscription, one entry per subscription (admin: what is listening). */
  userSubscriptions(): number[] {
    return [...this.users].filter((s) => s.ws.readyState === s.ws.OPEN).map((s) => s.accountId);
  }

  /** Hands an HTTP upgrade to the right socket kind; anything else is refused. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = new URL(req.url ?? "/", "http://demo").pathname;
    const market = path === "/ws" || path.startsWith("/ws/"); // ccxt adds a stream index: /ws/0, /ws/1, …
    if (!market && path !== "/ws-api/v3") {
      socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => (market ? this.marketSocket(ws) : this.apiSocket(ws, (req.socket.remoteAddress ?? "").replace(/^::ffff:/, ""))));
  }

  close(): void {
    clearInterval(this.timer);
    this.ctx.engine.changes.off("change", this.onChange);
    for (const ws of this.wss.clients) ws.terminate();
    this.wss.close();
  }

  // ---- market streams ---------------------------------------------------------------------

  private marketSocket(ws: WebSocket): void {
    const streams = new Set<string>();
    this.market.set(ws, streams);
    ws.on("close", () => this.market.delete(ws));
    ws.on("message", (raw) => {
      let m: { method?: string; params?: unknown; id?: unknown };
      try {
        m = JSON.parse(String(raw));
      } catch {
        return ws.send(JSON.stringify({ error: { code: 2, msg: "Invalid JSON" } }));
      }
      const params = Array.isArray(m.params) ? m.params.map(String) : [];
      if (m.method === "SUBSCRIBE") for (const p of params) streams.add(p);
      else if (m.method === "UNSUBSCRIBE") for (const p of params) streams.delete(p);
      else if (m.method !== "LIST_SUBSCRIPTIONS") return ws.send(JSON.stringify({ error: { code: 1, msg: `Unknown method ${m.method}` }, id: m.id ?? null }));
      ws.send(JSON.stringify({ result: m.method === "LIST_SUBSCRIPTIONS" ? [...streams] : null, id: m.id ?? null }));
      if (m.method === "SUBSCRIBE") this.pushStreams(ws, params);
    });
  }

  private pushMarketStreams(): void {
    for (const [ws, streams] of this.market) this.pushStreams(ws, [...streams]);
  }

  private pushStreams(ws: WebSocket, streams: string[]): void {
    const now = this.ctx.marketTime();
    for (const stream of streams) {
      const [id, channel] = stream.split("@") as [string, string];
      const spec = this.ctx.symbols.find((s) => s.id.toLowerCase() === id);
      if (!spec || ws.readyState !== ws.OPEN) continue;
      if (channel === "ticker") ws.send(JSON.stringify(this.tickerEvent(spec, now)));
      else if (channel === "miniTicker") ws.send(JSON.stringify(this.miniTickerEvent(spec, now)));
      else if (channel?.startsWith("kline_")) {
        const interval = intervals[channel.slice("kline_".length)];
        if (interval) ws.send(JSON.stringify(this.klineEvent(spec, channel.slice("kline_".length), interval, now)));
      }
    }
  }

  private tickerEvent(spec: SymbolSpec, now: number) {
    const t = this.ctx.ticker(spec.id, now);
    return {
      e: "24hrTicker", E: now, s: spec.id, p: t.priceChange, P: t.priceChangePercent, w: t.weightedAvgPrice, x: t.prevClosePrice, c: t.lastPrice, Q: t.lastQty,
      b: t.bidPrice, B: t.bidQty, a: t.askPrice, A: t.askQty, o: t.openPrice, h: t.highPrice, l: t.lowPrice, v: t.volume, q: t.quoteVolume, O: t.openTime, C: t.closeTime, F: 0, L: 0, n: 0,
    };
  }

  private miniTickerEvent(spec: SymbolSpec, now: number) {
    const t = this.ctx.ticker(spec.id, now);
    return { e: "24hrMiniTicker", E: now, s: spec.id, c: t.lastPrice, o: t.openPrice, h: t.highPrice, l: t.lowPrice, v: t.volume, q: t.quoteVolume };
  }

  private klineEvent(spec: SymbolSpec, name: string, interval: number, now: number) {
    const [row] = klines(spec, this.ctx.store.seed(), interval, { limit: 1, now });
    const [open, o, h, l, c, v, close, q] = row ?? [];
    return { e: "kline", E: now, s: spec.id, k: { t: open, T: close, s: spec.id, i: name, f: 0, L: 0, o, c, h, l, v, n: 0, x: (close as number) < now, q, V: "0", Q: "0", B: "0" } };
  }

  // ---- the WebSocket API: user-data stream ------------------------------------------------------

  private apiSocket(ws: WebSocket, clientIp: string): void {
    ws.on("close", () => {
      for (const s of this.users) if (s.ws === ws) this.users.delete(s);
    });
    ws.on("message", (raw) => {
      let m: { id?: unknown; method?: string; params?: Record<string, unknown> };
      try {
        m = JSON.parse(String(raw));
      } catch {
        return ws.send(JSON.stringify({ id: null, status: 400, error: { code: -1102, msg: "Malformed request." } }));
      }
      const reply = (body: object) => ws.send(JSON.stringify({ id: m.id ?? null, ...body }));
      if (m.method === "ping") return reply({ status: 200, result: {} });
      if (m.method === "time") return reply({ status: 200, result: { serverTime: Date.now() } });
      if (m.method !== "userDataStream.subscribe.signature") return reply({ status: 400, error: { code: -1100, msg: `Unknown method '${m.method}'.` } });
      try {
        const params = Object.fromEntries(Object.entries(m.params ?? {}).map(([k, v]) => [k, String(v)]));
        const payload = Object.keys(params).filter((k) => k !== "signature").sort().map((k) => `${k}=${encodeURIComponent(params[k]!)}`).join("&");
        if (params.apiKey && !this.ctx.keyUsable(params.apiKey)) return ws.terminate(); // the key is under a fault: no answer
        const key = authenticate(this.ctx.store, { apiKeyHeader: params.apiKey, rawQuery: `${payload}&signature=${params.signature ?? ""}`, rawBody: "", params, clientIp, serverTime: Date.now() }, "read");
        const id = this.nextSubscriptionId++;
        this.users.add({ ws, accountId: key.accountId, id });
        reply({ status: 200, result: { subscriptionId: id } });
      } catch (err) {
        const e = err instanceof BinanceError ? err : new BinanceError(400, -1000, "An unknown error occurred while processing the request.");
        reply({ status: e.status, error: { code: e.code, msg: e.message } });
      }
    });
  }

  private pushOrderChange(c: OrderChange): void {
    const targets = [...this.users].filter((s) => s.accountId === c.order.accountId && s.ws.readyState === s.ws.OPEN);
    if (!targets.length) return;
    const o = c.order;
    const fill = c.fill;
    const event = {
      e: "executionReport", E: c.at, s: o.symbol, c: o.clientOrderId, S: o.side, o: o.type, f: o.timeInForce, q: o.origQty, p: new Decimal(o.price).toFixed(8), P: "0.00000000", F: "0.00000000", g: -1, C: "",
      x: c.execution, X: o.status, r: "NONE", i: o.orderId, l: fill ? fill.qty.toFixed(8) : "0.00000000", z: new Decimal(o.executedQty).toFixed(8), L: fill ? fill.price.toFixed(8) : "0.00000000",
      n: fill ? fill.commission.toFixed(8) : "0", N: fill ? fill.commissionAsset : null, T: c.at, t: fill ? fill.tradeId : -1, I: 0, w: o.status === "NEW" || o.status === "PARTIALLY_FILLED", m: !!fill?.isMaker, M: false,
      O: o.time, Z: new Decimal(o.cummulativeQuoteQty).toFixed(8), Y: fill ? fill.qty.mul(fill.price).toFixed(8) : "0.00000000", Q: "0.00000000",
    };
    for (const s of targets) s.ws.send(JSON.stringify({ subscriptionId: s.id, event }));
  }
}
