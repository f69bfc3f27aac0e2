/**
 * Issue 10: ccxt.pro's real `binance` class against the demo exchange's
 * WebSockets — watchTicker gets prices, watchOrders and watchMyTrades deliver
 * an order's fill, signed and checked like the REST API.
 */
import type { Exchange } from "ccxt";
import WebSocket from "ws";
import { sign } from "@/lib/exchange/demo/signing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildExchange } from "@/lib/exchange/ccxt-factory";
import { startDemo, type RunningDemo } from "../helpers/demo-exchange";

describe("issue 10: ccxt.pro binance on the demo exchange's WebSockets", () => {
  let d: RunningDemo;
  const open: Exchange[] = [];
  beforeAll(async () => {
    d = await startDemo();
  });
  afterAll(async () => {
    for (const ex of open) await ex.close();
    await d.close();
  });
  const pro = async (credentials?: { apiKey: string; secret: string }) => {
    const ex = buildExchange({ exchange: "demo", credentials, demoUrl: d.url, pro: true });
    open.push(ex);
    await ex.loadMarkets();
    return ex;
  };

  it("watchTicker delivers prices, every second", async () => {
    const ex = await pro();
    const first = await ex.watchTicker("BTC/USDT");
    expect(first.symbol).toBe("BTC/USDT");
    expect(first.last).toBeGreaterThan(10_000);
    const second = await ex.watchTicker("BTC/USDT");
    expect(second.timestamp).toBeGreaterThan(first.timestamp!);
    const candles = await ex.watchOHLCV("ETH/USDT", "1m");
    expect(candles.at(-1)![4]).toBeGreaterThan(100);
  });

  it("watchOrders and watchMyTrades deliver an order's fill — one placed through REST, and a resting one the matching engine fills", async () => {
    const creds = await d.key(await d.account({ USDT: "10000" }), { read: true, trade: true });
    const ex = await pro(creds);
    const orders = ex.watchOrders("BTC/USDT");
    const trades = ex.watchMyTrades("BTC/USDT");
    await new Promise((r) => setTimeout(r, 300)); // subscribed
    const placed = await ex.createOrder("BTC/USDT", "market", "buy", 0.01, undefined, { clientOrderId: "ws-market-1" });
    const [streamedOrders, streamedTrades] = await Promise.all([orders, trades]);
    expect(streamedOrders.some((o) => o.clientOrderId === "ws-market-1")).toBe(true);
    const rest = await ex.fetchMyTrades("BTC/USDT");
    expect(streamedTrades.map((t) => t.id)).toEqual(expect.arrayContaining([rest.at(-1)!.id]));
    expect(streamedTrades[0]!.order).toBe(placed.id);

    // a resting buy below the market; moving the market's clock makes the price path cross it
    const price = (await ex.fetchTicker("BTC/USDT")).last!;
    const resting = await ex.createOrder("BTC/USDT", "limit", "buy", 0.001, Math.round(price * 0.97), { clientOrderId: "ws-resting-1" });
    let filled;
    for (let hour = 0; hour < 48 && !filled; hour++) {
      const next = ex.watchOrders("BTC/USDT");
      await d.admin("POST", "/_demo/clock", { advanceMs: 3_600_000 });
      filled = (await Promise.race([next, new Promise<never[]>((r) => setTimeout(() => r([]), 1500))])).find((o) => o.id === resting.id && o.status === "closed");
    }
    expect(filled, "the resting order filled within two days of market time").toBeDefined();
  });

  it("the user-data subscription is signed and checked like a REST request: a wrong signature or a revoked key is refused", async () => {
    const creds = await d.key(await d.account({ USDT: "10" }), { read: true, trade: true });
    const subscribe = async (apiKey: string, secret: string) => {
      const ws = new WebSocket(`${d.url.replace("http", "ws")}/ws-api/v3`);
      await new Promise((r) => ws.once("open", r));
      const params: Record<string, string> = { apiKey, recvWindow: "5000", timestamp: String(Date.now()) };
      const payload = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join("&");
      ws.send(JSON.stringify({ id: "1", method: "userDataStream.subscribe.signature", params: { ...params, signature: sign(secret, payload) } }));
      const answer = await new Promise<{ status: number; result?: unknown; error?: { code: number } }>((r) => ws.once("message", (m) => r(JSON.parse(String(m)))));
      ws.close();
      return answer;
    };
    expect(await subscribe(creds.apiKey, creds.secret)).toMatchObject({ status: 200, result: { subscriptionId: expect.any(Number) } });
    expect(await subscribe(creds.apiKey, "f".repeat(64))).toMatchObject({ status: 400, error: { code: -1022 } });
    await d.admin("DELETE", `/_demo/keys/${creds.apiKey}`);
    expect(await subscribe(creds.apiKey, creds.secret)).toMatchObject({ status: 401, error: { code: -2015 } });
  });
});
