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
import { waitUntil } from "../helpers/bots";
import { pauseBeforeADip, startDemo, type RunningDemo } from "../helpers/demo-exchange";

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
    const account = await d.account({ USDT: "10000" });
    const ex = await pro(await d.key(account, { read: true, trade: true }));
    const orders = ex.watchOrders("BTC/USDT");
    const trades = ex.watchMyTrades("BTC/USDT");
    // subscribed: the demo lists the account's user-data subscription (a fixed sleep lost the race under load)
    await waitUntil("the user-data subscription", async () => ((await d.admin<{ userData: number[] }>("GET", "/_demo/subscriptions")).userData.includes(account) ? true : undefined), 10_000);
    const placed = await ex.createOrder("BTC/USDT", "market", "buy", 0.01, undefined, { clientOrderId: "ws-market-1" });
    const [streamedOrders, streamedTrades] = await Promise.all([orders, trades]);
    expect(streamedOrders.some((o) => o.clientOrderId === "ws-market-1")).toBe(true);
    const rest = await ex.fetchMyTrades("BTC/USDT");
    expect(streamedTrades.map((t) => t.id)).toEqual(expect.arrayContaining([rest.at(-1)!.id]));
    expect(streamedTrades[0]!.order).toBe(placed.id);

    // a resting buy below the market, filled by the matching engine by itself two days of market time later
    const limit = (await pauseBeforeADip(d, "BTCUSDT", 0.01, 48 * 3_600_000)).mul(1.005).toDecimalPlaces(2).toNumber();
    const resting = await ex.createOrder("BTC/USDT", "limit", "buy", 0.001, limit, { clientOrderId: "ws-resting-1" });
    expect(resting.status).toBe("open");
    const streamedFill = (async () => {
      for (;;) {
        const fill = (await ex.watchOrders("BTC/USDT")).find((o) => o.id === resting.id && o.status === "closed");
        if (fill) return fill;
      }
    })();
    await d.admin("POST", "/_demo/clock", { advanceMs: 48 * 3_600_000 });
    const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), 15_000).unref());
    expect(await Promise.race([streamedFill, timeout]), "the resting order's fill, streamed").toMatchObject({ clientOrderId: "ws-resting-1", filled: 0.001, price: limit });
    await d.admin("POST", "/_demo/clock", { pause: false });
  }, 60_000);

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
