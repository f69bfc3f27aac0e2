import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import ccxt, { type Exchange } from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sign } from "@/lib/exchange/demo/signing";
import type { Credentials } from "@/lib/exchange/ccxt-factory";
import { pauseBeforeADip, startDemo, type RunningDemo } from "../helpers/demo-exchange";

/** ccxt's balance typing is loose; read the per-currency maps. */
async function balance(ex: Exchange) {
  return (await ex.fetchBalance()) as unknown as { total: Record<string, number>; used: Record<string, number> };
}

describe("demo exchange driven by the real ccxt binance class", () => {
  let d: RunningDemo;
  let trader: Exchange;
  let creds: Credentials;
  let accountId: number;

  beforeAll(async () => {
    d = await startDemo();
    accountId = await d.account({ USDT: "10000", BTC: "0.5" });
    creds = await d.key(accountId, { read: true, trade: true });
    trader = d.client(creds);
    await trader.loadMarkets();
  });
  afterAll(() => d.close());

  it("loads markets with Binance-style filters, and public data", async () => {
    expect(trader.symbols).toEqual(expect.arrayContaining(["BTC/USDT", "ETH/USDT", "SOL/USDT", "DEMO/USDT"]));
    expect(trader.markets!["BTC/USDT"]!.limits.amount!.min).toBe(0.00001);
    expect(trader.markets!["DEMO/USDT"]!.precision.amount).toBe(1);
    const ticker = await trader.fetchTicker("BTC/USDT");
    expect(ticker.last).toBeGreaterThan(40000);
    expect(ticker.bid!).toBeLessThan(ticker.ask!);
    const candles = await trader.fetchOHLCV("ETH/USDT", "1m", undefined, 5);
    expect(candles).toHaveLength(5);
    for (const [, o, h, l, c] of candles) {
      expect(h!).toBeGreaterThanOrEqual(Math.max(o!, c!));
      expect(l!).toBeLessThanOrEqual(Math.min(o!, c!));
    }
    // repeatable: the same candle twice is identical
    const again = await trader.fetchOHLCV("ETH/USDT", "1m", candles[0]![0], 1);
    expect(again[0]).toEqual(candles[0]);
  });

  it("balances, limit and market orders with our client order ids, fills with fees, cancel, trades", async () => {
    const before = await balance(trader);
    expect(before.total.USDT).toBe(10000);

    const limit = await trader.createOrder("BTC/USDT", "limit", "buy", 0.01, 30000, { clientOrderId: "kw-limit-1" });
    expect(limit).toMatchObject({ status: "open", clientOrderId: "kw-limit-1", price: 30000, filled: 0 });
    expect((await balance(trader)).used.USDT).toBe(300); // locked for the order

    const byClientId = await trader.fetchOrder(undefined as unknown as string, "BTC/USDT", { clientOrderId: "kw-limit-1" });
    expect(byClientId.id).toBe(limit.id);
    expect((await trader.fetchOpenOrders("BTC/USDT")).map((o) => o.id)).toEqual([limit.id]);

    const market = await trader.createOrder("BTC/USDT", "market", "buy", 0.05, undefined, { clientOrderId: "kw-market-1" });
    expect(market.status).toBe("closed");
    expect(market.filled).toBe(0.05);
    expect(market.fee).toEqual({ currency: "BTC", cost: 0.00005 });

    const canceled = await trader.cancelOrder(limit.id!, "BTC/USDT");
    expect(canceled.status).toBe("canceled");
    const after = await balance(trader);
    expect(after.used.USDT).toBe(0);
    expect(after.total.BTC).toBeCloseTo(0.5 + 0.05 - 0.00005, 10);
    expect(after.total.USDT).toBeCloseTo(10000 - market.cost!, 6);

    const trades = await trader.fetchMyTrades("BTC/USDT");
    expect(trades.map((t) => t.order)).toEqual([market.id]);
  });

  it("a large market order fills partially across several book levels", async () => {
    const big = await trader.createOrder("SOL/USDT", "market", "sell", 0, undefined).catch((e: Error) => e);
    expect(big).toBeInstanceOf(ccxt.InvalidOrder);
    const acct = await d.account({ USDT: "1000000" });
    const whale = d.client(await d.key(acct, { read: true, trade: true }));
    await whale.loadMarkets();
    const order = await whale.createOrder("DEMO/USDT", "market", "buy", 2000, undefined, { clientOrderId: "whale-1" });
    const trades = await whale.fetchMyTrades("DEMO/USDT");
    expect(trades.length).toBeGreaterThan(3);
    expect(new Set(trades.map((t) => t.price)).size).toBe(trades.length); // each level its own price
    expect(order.filled).toBeLessThan(2000); // the thin book ran out: the rest expired
    expect(order.status).toBe("expired");
  });

  it("the same clientOrderId sent twice gives one order", async () => {
    await trader.createOrder("ETH/USDT", "limit", "buy", 0.01, 1000, { clientOrderId: "once-only" });
    const second = await trader.createOrder("ETH/USDT", "limit", "buy", 0.01, 1000, { clientOrderId: "once-only" }).catch((e: Error) => e);
    expect(second).toBeInstanceOf(ccxt.InvalidOrder);
    const open = await trader.fetchOpenOrders("ETH/USDT");
    expect(open.filter((o) => o.clientOrderId === "once-only")).toHaveLength(1);
  });

  it("a wrong secret raises AuthenticationError; every signature is checked", async () => {
    const bad = d.client({ apiKey: creds.apiKey, secret: "x".repeat(64) });
    await expect(bad.fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    // hand-signed request: correct signature accepted, one flipped character refused
    const query = `timestamp=${Date.now()}&recvWindow=5000`;
    const ok = await fetch(`${d.url}/api/v3/account?${query}&signature=${sign(creds.secret, query)}`, { headers: { "X-MBX-APIKEY": creds.apiKey } });
    expect(ok.status).toBe(200);
    const tampered = await fetch(`${d.url}/api/v3/account?${query.replace("5000", "5001")}&signature=${sign(creds.secret, query)}`, { headers: { "X-MBX-APIKEY": creds.apiKey } });
    expect(await tampered.json()).toEqual({ code: -1022, msg: "Signature for this request is not valid." });
  });

  it("a read-only key's order raises and nothing is placed; a revoked key is refused", async () => {
    const readOnly = d.client(await d.key(accountId, { read: true, trade: false }));
    await readOnly.loadMarkets();
    const before = (await trader.fetchOpenOrders("BTC/USDT")).length;
    await expect(readOnly.createOrder("BTC/USDT", "limit", "buy", 0.01, 30000)).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    expect((await trader.fetchOpenOrders("BTC/USDT")).length).toBe(before);

    const doomed = await d.key(accountId, { read: true, trade: true });
    await d.admin("DELETE", `/_demo/keys/${doomed.apiKey}`);
    await expect(d.client(doomed).fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
  });

  it("changing one permission of a key leaves the others as they were", async () => {
    const k = await d.key(accountId, { read: true, trade: true });
    await d.admin("PATCH", `/_demo/keys/${k.apiKey}`, { permissions: { withdraw: true } });
    const account = (await d.client(k).privateGetAccount()) as { canTrade: boolean; canWithdraw: boolean };
    expect({ canTrade: account.canTrade, canWithdraw: account.canWithdraw }).toEqual({ canTrade: true, canWithdraw: true });
  });

  it("a deposit adds to an account's free balances; an unknown account is named", async () => {
    const id = await d.account({ USDT: "5" });
    const client = d.client(await d.key(id, { read: true, trade: true }));
    await d.admin("POST", `/_demo/accounts/${id}/deposit`, { balances: { USDT: "1000.5", BTC: "0.25" } });
    const b = (await client.fetchBalance()) as unknown as { free: Record<string, number> };
    expect([b.free.USDT, b.free.BTC]).toEqual([1005.5, 0.25]);
    await expect(d.admin("POST", "/_demo/accounts/999999/deposit", { balances: { USDT: "1" } })).rejects.toThrow(/No demo account 999999/);
  });

  it("IP-restricted keys work only from their IPs", async () => {
    const allowed = d.client(await d.key(accountId, { read: true }, { ipRestrict: true, ips: ["127.0.0.1"] }));
    expect((await balance(allowed)).total.USDT).toBeGreaterThan(0);
    const elsewhere = d.client(await d.key(accountId, { read: true }, { ipRestrict: true, ips: ["203.0.113.7"] }));
    await expect(elsewhere.fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
  });

  it("apiRestrictions reports the key's permissions in Binance's field names", async () => {
    const k = await d.key(accountId, { read: true, trade: true, withdraw: true }, { ipRestrict: true, ips: ["127.0.0.1"] });
    const r = await (d.client(k) as unknown as { sapiGetAccountApiRestrictions: () => Promise<Record<string, unknown>> }).sapiGetAccountApiRestrictions();
    expect(r).toMatchObject({ enableReading: true, enableSpotAndMarginTrading: true, enableWithdrawals: true, ipRestrict: true, createTime: expect.any(Number) });
  });

  it("resting limit orders fill when the market moves through them, in parts", async () => {
    const acct = await d.account({ USDT: "100000" });
    const ex = d.client(await d.key(acct, { read: true, trade: true }));
    await ex.loadMarkets();
    // far above the market: fills at once (price improvement) — so a price under the market that the next 6 hours reach
    const price = (await pauseBeforeADip(d, "DEMOUSDT", 0.005, 6 * 3_600_000)).mul(1.002).toDecimalPlaces(4).toNumber();
    const order = await ex.createOrder("DEMO/USDT", "limit", "buy", 300, price, { clientOrderId: "rest-1" });
    expect(order.status).toBe("open");
    await d.admin("POST", "/_demo/clock", { advanceMs: 6 * 3_600_000 });
    const later = await ex.fetchOrder(order.id!, "DEMO/USDT");
    expect(later.filled).toBeGreaterThan(0);
    expect((await ex.fetchMyTrades("DEMO/USDT")).every((t) => t.price === price && t.takerOrMaker === "maker")).toBe(true);
    await d.admin("POST", "/_demo/clock", { pause: false });
  });
  it("issue 13.8: the admin API refuses requests that carry an Origin header or a non-JSON body, so a web page cannot drive it", async () => {
    const post = (headers: Record<string, string>) => fetch(`${d.url}/_demo/accounts`, { method: "POST", body: JSON.stringify({ balances: { USDT: "1" } }), headers });
    expect((await post({ "content-type": "application/json", origin: "https://evil.example" })).status).toBe(403);
    expect((await post({ "content-type": "application/json", origin: "null" })).status).toBe(403);
    expect((await post({ "content-type": "text/plain" })).status).toBe(415);
    expect((await post({ "content-type": "application/x-www-form-urlencoded" })).status).toBe(415);
    expect((await post({})).status).toBe(415); // fetch sends text/plain for a string body
    expect((await post({ "content-type": "application/json" })).status).toBe(200);
    expect((await fetch(`${d.url}/_demo/faults`, { method: "DELETE", headers: { origin: "http://127.0.0.1:3000" } })).status).toBe(403);
  });
});

describe("faults produce the ccxt error a real exchange would", () => {
  let d: RunningDemo;
  let ex: Exchange;
  let creds: Credentials;
  beforeAll(async () => {
    d = await startDemo();
    creds = await d.key(await d.account({ USDT: "10000" }), { read: true, trade: true });
    ex = d.client(creds, 1500);
    await ex.loadMarkets();
  });
  afterAll(() => d.close());
  const fault = (kind: string, extra: Record<string, unknown> = {}) => d.admin("POST", "/_demo/faults", { apiKey: creds.apiKey, kind, durationMs: 60_000, ...extra });

  const cases: [string, typeof ccxt.BaseError, Record<string, unknown>][] = [
    ["error5xx", ccxt.ExchangeNotAvailable, {}],
    ["rateLimit", ccxt.DDoSProtection, {}],
    ["timeout", ccxt.RequestTimeout, {}],
    ["clockSkew", ccxt.InvalidNonce, { ms: -120_000 }],
  ];
  it.each(cases)("%s → %o", async (kind, errorClass, extra) => {
    await fault(kind, extra);
    try {
      await expect(ex.fetchBalance()).rejects.toBeInstanceOf(errorClass);
    } finally {
      await d.admin("DELETE", "/_demo/faults");
    }
  });

  it("latency delays answers", async () => {
    await fault("latency", { ms: 400 });
    const t0 = performance.now();
    await ex.fetchBalance();
    expect(performance.now() - t0).toBeGreaterThan(380);
    await d.admin("DELETE", "/_demo/faults");
  });

  it("dropResponse executes the order but loses the answer; looking it up by clientOrderId finds it", async () => {
    await fault("dropResponse", { path: "/api/v3/order" });
    const err = await ex.createOrder("BTC/USDT", "limit", "buy", 0.001, 20000, { clientOrderId: "lost-answer" }).catch((e: Error) => e);
    await d.admin("DELETE", "/_demo/faults");
    expect(err).toBeInstanceOf(ccxt.NetworkError);
    const found = await ex.fetchOrder(undefined as unknown as string, "BTC/USDT", { clientOrderId: "lost-answer" });
    expect(found.status).toBe("open");
  });
});

describe("demo exchange state survives a restart", () => {
  it("accounts, keys, orders and balances are still there", async () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "keyward-demo-")), "demo.db");
    const first = await startDemo(file);
    const creds = await first.key(await first.account({ USDT: "500" }), { read: true, trade: true });
    const ex = first.client(creds);
    await ex.loadMarkets();
    const order = await ex.createOrder("ETH/USDT", "limit", "buy", 0.01, 1000, { clientOrderId: "survivor" });
    const price = (await ex.fetchTicker("ETH/USDT")).last;
    await first.close();

    const second = await startDemo(file);
    const ex2 = second.client(creds);
    await ex2.loadMarkets();
    expect((await ex2.fetchOrder(order.id!, "ETH/USDT")).clientOrderId).toBe("survivor");
    expect((await balance(ex2)).used.USDT).toBe(10);
    // the same seed: the same market
    expect(Math.abs((await ex2.fetchTicker("ETH/USDT")).last! - price!) / price!).toBeLessThan(0.01);
    await second.close();
  });
});
