import ccxt from "ccxt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifyError, safeErrorMessage } from "@/lib/exchange/errors";
import { clearMarketCache } from "@/lib/exchange/market-cache";
import { openExchange } from "@/lib/exchange/open";
import { sameBudget } from "@/lib/exchange/rate-budget";
import { detectScopes } from "@/lib/exchange/scopes";
import { startDemo, type RunningDemo } from "../helpers/demo-exchange";

describe("exchange layer against the demo exchange", () => {
  let d: RunningDemo;
  let accountId: number;
  let exchangeInfoCalls = 0;
  beforeAll(async () => {
    d = await startDemo();
    accountId = await d.account({ USDT: "1000" });
    d.demo.onRequest = (path) => {
      if (path === "/api/v3/exchangeInfo") exchangeInfoCalls++;
    };
  });
  afterAll(() => d.close());

  it("detectScopes reads binance's apiRestrictions live: withdraw on/off, IP restriction on/off", async () => {
    const combos = [
      { withdraw: false, ipRestrict: false },
      { withdraw: true, ipRestrict: false },
      { withdraw: false, ipRestrict: true },
      { withdraw: true, ipRestrict: true },
    ];
    for (const c of combos) {
      const creds = await d.key(accountId, { read: true, trade: true, withdraw: c.withdraw }, { ipRestrict: c.ipRestrict, ips: ["127.0.0.1"] });
      const ex = await openExchange({ exchange: "demo", credentials: creds, demoUrl: d.url });
      expect(await detectScopes(ex, "demo", creds.apiKey)).toMatchObject({ read: true, trade: true, withdraw: c.withdraw, ipRestricted: c.ipRestrict, source: "exchange" });
    }
  });

  it("a change made at the exchange shows at the next check", async () => {
    const creds = await d.key(accountId, { read: true, trade: true });
    const ex = await openExchange({ exchange: "demo", credentials: creds, demoUrl: d.url });
    expect((await detectScopes(ex, "demo", creds.apiKey)).withdraw).toBe(false);
    await d.admin("PATCH", `/_demo/keys/${creds.apiKey}`, { permissions: { withdraw: true } });
    expect((await detectScopes(ex, "demo", creds.apiKey)).withdraw).toBe(true);
    await d.admin("DELETE", `/_demo/keys/${creds.apiKey}`);
    // a re-check opens the exchange afresh (lib/bots/recheck-key.ts): an instance whose private calls have
    // worked reports -2015 as DDoSProtection (ccxt takes it for a temporary ban; docs/EXCHANGES.md)
    const fresh = await openExchange({ exchange: "demo", credentials: creds, demoUrl: d.url });
    const gone = await detectScopes(fresh, "demo", creds.apiKey).catch((e: unknown) => e);
    expect(classifyError(gone)).toBe("authRejected");
  });

  it("markets load once per exchange and are shared by reference; one rate budget per exchange", async () => {
    clearMarketCache();
    exchangeInfoCalls = 0;
    const instances = await Promise.all(Array.from({ length: 20 }, async () => openExchange({ exchange: "demo", credentials: await d.key(accountId, { read: true, trade: true }), demoUrl: d.url })));
    expect(exchangeInfoCalls).toBe(1);
    const [a, b] = instances;
    expect(a!.markets).toBe(b!.markets);
    expect(sameBudget(a!, b!)).toBe(true);
    // every instance can still trade any symbol
    for (const ex of instances.slice(0, 4)) expect((await ex.fetchBalance()).info).toBeDefined();
    await expect(instances[5]!.createOrder("SOL/USDT", "limit", "buy", 0.1, 50)).resolves.toMatchObject({ status: "open" });
  });

  it("classifies errors per EXCHANGES.md and never shows a signature", async () => {
    const creds = await d.key(accountId, { read: true, trade: true });
    const ex = await openExchange({ exchange: "demo", credentials: creds, demoUrl: d.url, timeoutMs: 800 });
    await d.admin("POST", "/_demo/faults", { apiKey: creds.apiKey, kind: "timeout", durationMs: 30_000 });
    const timeout = await ex.createOrder("ETH/USDT", "limit", "buy", 0.01, 1000, { clientOrderId: "t-1" }).catch((e: unknown) => e);
    const readTimeout = await ex.fetchBalance().catch((e: unknown) => e);
    await d.admin("DELETE", "/_demo/faults");
    expect(timeout).toBeInstanceOf(ccxt.RequestTimeout);
    expect(classifyError(timeout, { placingOrder: true })).toBe("unknownOutcome");
    expect(classifyError(readTimeout)).toBe("retryable");
    expect((readTimeout as Error).message).toMatch(/signature=/); // ccxt puts the signed URL in the message…
    expect(safeErrorMessage(readTimeout)).not.toMatch(/signature|timestamp=\d/); // …which we strip
    expect(safeErrorMessage(readTimeout)).not.toContain(creds.apiKey);

    const insufficient = await ex.createOrder("BTC/USDT", "limit", "buy", 1, 50000).catch((e: unknown) => e);
    expect(classifyError(insufficient, { placingOrder: true })).toBe("orderRejected");
    const bad = await (await openExchange({ exchange: "demo", credentials: { apiKey: creds.apiKey, secret: "y".repeat(64) }, demoUrl: d.url })).fetchBalance().catch((e: unknown) => e);
    expect(classifyError(bad)).toBe("authRejected");
  });
});
