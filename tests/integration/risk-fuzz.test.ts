/**
 * A fuzzed strategy — random sizes, prices, symbols, order types, cancels of
 * unknown ids, malformed intents — drives the real runner for 10,000 ticks
 * against the demo exchange (a fake clock advances 5 s a tick). Nothing that
 * reaches the exchange may break a risk limit, and the runner never crashes.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { acquireLease } from "@/lib/bots/lease";
import { LeaseHold } from "@/lib/bots/lease-hold";
import { MarketData } from "@/lib/exchange/market-data";
import { marketPriceAllowance } from "@/lib/strategies/market";
import { Runner, type BotRow } from "@/lib/bots/runner";
import { createLogger } from "@/lib/log";
import { Money } from "@/lib/money";
import { strategies } from "@/lib/strategies/registry";
import type { Intent } from "@/lib/strategies/types";
import { loadVault } from "@/lib/vault/keyring";
import { allExchangeOrders, demoBot } from "../helpers/bots";
import { useTestDatabase } from "../helpers/databases";
import { startDemo, type RunningDemo } from "../helpers/demo-exchange";

const ticks = Number(process.env.FUZZ_TICKS ?? 10_000);
// the real ccxt class without its rate limiter: 10,000 ticks in about a minute
process.env.DEMO_EXCHANGE_RATE_LIMIT_MS = "0";
const limits = { maxOrderNotional: "20", maxOpenOrders: 3, maxPosition: "60" };

/** mulberry32: the strategy stays pure — its randomness comes from its own state */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

strategies["test-fuzz"] = {
  id: "test-fuzz",
  version: 1,
  name: "fuzz",
  description: "random intents",
  params: z.object({}),
  decide(ctx) {
    const n = Number(ctx.state.n ?? 0) + 1;
    const r = rng(4242 + n);
    const pick = <T,>(a: T[]): T => a[Math.floor(r() * a.length)]!;
    const last = new Money(ctx.lastPrice);
    const intents: unknown[] = [];
    for (let i = Math.floor(r() * 4); i > 0; i--) {
      const roll = r();
      if (roll < 0.25 && ctx.openOrders.length) intents.push({ kind: "cancel", orderId: pick(ctx.openOrders).id, reason: "fuzz" });
      else if (roll < 0.35) intents.push({ kind: "cancel", orderId: pick(["nope", "kw00000000-1", "", "x".repeat(80)]), reason: "fuzz unknown" });
      else if (roll < 0.4) intents.push(pick([{ kind: "explode" }, { kind: "place" }, { kind: "place", side: "up", type: "limit", reason: "bad" }, null, 42]));
      else {
        const type = pick(["market", "limit"] as const);
        const sized = pick(["amount", "quoteAmount"]);
        const size = pick(["0.5", "1", "3", "8", "12", "16", "40", "100", "5000", "0"]);
        const price = pick([last.mul(0.9), last.mul(0.98), last.mul(0.999), last.mul(1.001), last.mul(1.02), last.mul(1.5)].map((p) => p.toDecimalPlaces(6).toFixed()).concat(["-1", "abc", "1e3"]));
        intents.push({ kind: "place", side: pick(["buy", "sell"]), type, [sized]: size, ...(type === "limit" ? { price } : {}), ...(r() < 0.1 ? { symbol: pick(["BTC/USDT", "XXX/YYY", "DEMO/USDT"]) } : {}), reason: "fuzz" });
      }
    }
    return { intents: intents as Intent[], state: { n } };
  },
};

describe("issue 8: a fuzzed strategy cannot break a risk limit at the exchange", () => {
  const t = useTestDatabase("sqlite");
  let d: RunningDemo;
  beforeAll(async () => {
    d = await startDemo();
  });
  afterAll(() => d.close());

  it(`${ticks} ticks of random intents: every order at the exchange within the limits, the runner never crashes`, { timeout: 600_000 }, async () => {
    const { keyring } = await loadVault(t.db, path.join(mkdtempSync(path.join(os.tmpdir(), "keyward-fz-")), "vault.key"));
    const b = await demoBot(t.db, d, { strategy: "dca", params: { quoteAmount: "10" }, ...limits, maxDailyLoss: "100000" });
    await t.db.bot.update({ where: { id: b.botId }, data: { strategy: "test-fuzz", params: "{}", desiredState: "running" } });
    let now = Date.now();
    const clock = () => now;
    const lease = (await acquireLease(t.db, b.botId, "fuzz", 24 * 3_600_000))!;
    const hold = new LeaseHold(lease, 24 * 3_600_000);
    const log = createLogger(new Writable({ write: (_c, _e, cb) => cb() }));
    const runner = new Runner({ db: t.db, log, workerId: "fuzz", demoUrl: d.url, keyring: () => keyring, market: new MarketData(d.url, 1000, clock), clock }, (await t.db.bot.findUniqueOrThrow({ where: { id: b.botId } })) as BotRow, hold);
    await runner.start();
    expect(runner.phase).toBe("running");

    const violations: string[] = [];
    for (let i = 1; i <= ticks; i++) {
      now += 5000;
      await runner.tick();
      if (runner.phase !== "running") throw new Error(`the runner left running at tick ${i}: ${(await t.db.bot.findUniqueOrThrow({ where: { id: b.botId } })).statusMessage}`);
      if (i % 250 === 0) {
        const open = await b.client.fetchOpenOrders("DEMO/USDT");
        if (open.length > limits.maxOpenOrders) violations.push(`tick ${i}: ${open.length} open orders`);
      }
    }
    const orders = await allExchangeOrders(b.client, "DEMO/USDT");
    const trades = await t.db.trade.findMany({ where: { botId: b.botId }, orderBy: { executedAt: "asc" } });
    let position = new Money(0);
    for (const o of orders) {
      const value = o.type === "limit" ? new Money(String(o.price)).mul(String(o.amount)) : new Money(String(o.cost ?? 0));
      const limit = o.type === "limit" ? new Money(limits.maxOrderNotional) : new Money(limits.maxOrderNotional).mul(marketPriceAllowance);
      if (value.gt(limit)) violations.push(`order ${o.clientOrderId} worth ${value.toFixed()}`);
      if (o.symbol !== "DEMO/USDT") violations.push(`order ${o.clientOrderId} on ${o.symbol}`);
    }
    for (const tr of trades) {
      position = tr.side === "buy" ? position.add(tr.amount).sub(tr.feeCurrency === "DEMO" ? tr.fee : 0) : position.sub(tr.amount);
      if (position.gt(limits.maxPosition)) violations.push(`position ${position.toFixed()} after trade ${tr.exchangeTradeId}`);
      if (position.lt(0)) violations.push(`sold more than held: ${position.toFixed()} after trade ${tr.exchangeTradeId}`);
    }
    expect(violations).toEqual([]);
    const refused = await t.db.botEvent.count({ where: { botId: b.botId, kind: "risk.refused" } });
    expect(orders.length).toBeGreaterThan(20); // the fuzz did trade
    expect(refused).toBeGreaterThan(20); // and was refused plenty
    expect(await t.db.botEvent.count({ where: { botId: b.botId, kind: { in: ["bot.error", "order.transition-error"] } } })).toBe(0);
    console.log(`fuzz: ${ticks} ticks, ${orders.length} orders at the exchange, ${trades.length} fills, ${refused} refusal events`);
  });
});
