/**
 * The bot runtime in-process (supervisor, runners, order manager) against the
 * real demo exchange through the real ccxt binance class, on SQLite and
 * PostgreSQL. Process-level drills (kill -9, faults, restarts) are in bot-drills.test.ts.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { alertsFromNewEvents } from "@/lib/alerts/event-pass";
import { controlBot, killSwitch } from "@/lib/bot-settings/control";
import { clientOrderId } from "@/lib/bots/client-order-id";
import { strategies } from "@/lib/strategies/registry";
import { Money } from "@/lib/money";
import { compareWithExchange, balancesDisagree, demoBot, setDesired, waitUntil } from "../helpers/bots";
import { databaseKinds, useTestDatabase } from "../helpers/databases";
import { pauseBeforeARise } from "../helpers/demo-exchange";
import { useRuntime } from "../helpers/runtime";

const actor = { id: null, label: "test", ip: null };

// a strategy that always throws, for the "three failures" rule
strategies["test-throws"] = { id: "test-throws", version: 1, name: "throws", description: "", params: z.object({}), decide: () => { throw new Error("boom"); } };

// a strategy that remembers the market rules it is given
strategies["test-market-view"] = { id: "test-market-view", version: 1, name: "market view", description: "", params: z.object({}), decide: (ctx) => ({ intents: [], state: { market: ctx.market } }) };

describe.each(databaseKinds)("bot runtime on %s", (kind) => {
  const t = useTestDatabase(kind);
  // a stall after 3 s of failed ticks, not 5 minutes; nothing placed for 3 s after the exchange rejects an order, not a minute
  const rt = useRuntime(t, `w-${kind}`, { stalledAfterMs: 3000, rejectionCooldownMs: 3000 });

  it("a live market maker trades; every order and fill at the exchange is in Keyward once, statuses and fills agree; stop cancels its orders", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "market-maker", params: { spreadPct: "0.05", orderQuote: "15", maxInventoryQuote: "60" } });
    await setDesired(t.db, b.botId, "running");
    await waitUntil("running", async () => (await t.db.bot.findUniqueOrThrow({ where: { id: b.botId } })).status === "running", 15_000);
    await waitUntil("a fill", async () => (await t.db.trade.count({ where: { botId: b.botId } })) > 1, 40_000);
    await setDesired(t.db, b.botId, "stopped");
    const bot = await waitUntil("stopped", async () => { const r = await t.db.bot.findUniqueOrThrow({ where: { id: b.botId } }); return r.status === "stopped" ? r : undefined; }, 30_000);
    expect(bot.workerId).toBe(`w-${kind}`);
    const c = await compareWithExchange(t.db, b.botId, b.client, "DEMO/USDT");
    expect(c.exchangeOrders).toBeGreaterThan(0);
    expect({ missing: c.missing, extra: c.extra, mismatched: c.mismatched, tradesMissing: c.tradesMissing, tradesExtra: c.tradesExtra, pending: c.pending, open: c.open }).toEqual({ missing: [], extra: [], mismatched: [], tradesMissing: [], tradesExtra: [], pending: 0, open: 0 });
    expect(await b.client.fetchOpenOrders("DEMO/USDT")).toEqual([]);
    expect(await balancesDisagree(t.db, b.botId, b.client)).toEqual([]);
    const kinds = (await t.db.botEvent.findMany({ where: { botId: b.botId }, select: { kind: true } })).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["lease.acquired", "bot.status", "order.new", "trade", "balance", "lease.released"]));
  });

  const botRow = (id: string) => t.db.bot.findUniqueOrThrow({ where: { id } });
  const statusIs = (id: string, status: string, ms = 20_000) => waitUntil(`status ${status}`, async () => ((await botRow(id)).status === status ? botRow(id) : undefined), ms);
  /** Waits for a DCA's buy, lets ticks go on (no second buy within the interval): its orders before the buy, which is its last and closed, oldest first. */
  const failedBeforeTheBuy = async (botId: string, ms: number) => {
    await waitUntil("the buy", async () => (await t.db.trade.count({ where: { botId } })) > 0, ms);
    await new Promise((r) => setTimeout(r, 3000));
    const orders = await t.db.order.findMany({ where: { botId }, orderBy: { createdAt: "asc" } });
    expect(orders.at(-1)!.status).toBe("closed");
    return orders.slice(0, -1);
  };

  it("paper mode: orders and fills are stored like live ones, marked paper, and no request with the key reaches the exchange", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "market-maker", params: { spreadPct: "0.05", orderQuote: "15", maxInventoryQuote: "60" }, mode: "paper" });
    const { last } = await rt.demo.admin<{ last: number }>("GET", "/_demo/requests?since=0&key=none");
    await setDesired(t.db, b.botId, "running");
    await waitUntil("a paper fill", async () => (await t.db.trade.count({ where: { botId: b.botId } })) > 0, 40_000);
    await setDesired(t.db, b.botId, "stopped");
    await statusIs(b.botId, "stopped");
    const { requests } = await rt.demo.admin<{ requests: unknown[] }>("GET", `/_demo/requests?since=${last}&key=${b.apiKey}`);
    expect(requests).toEqual([]); // not one request carried the bot's key
    const orders = await t.db.order.findMany({ where: { botId: b.botId } });
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((o) => o.paper && o.exchangeOrderId?.startsWith("paper-"))).toBe(true);
    expect(orders.filter((o) => o.status === "open" || o.status === "pending")).toEqual([]);
    expect((await t.db.trade.findMany({ where: { botId: b.botId } })).every((tr) => tr.paper)).toBe(true);
    const paper = JSON.parse((await botRow(b.botId)).paperBalances) as Record<string, string>;
    expect(Object.keys(paper)).toEqual(expect.arrayContaining(["USDT", "DEMO"]));
    expect((await b.client.fetchOrders("DEMO/USDT")).length).toBe(0);
  });

  it("Stop pressed while a slow tick is in flight is followed at once, not a tick interval later", async () => {
    // an hour's tick; its order requests are answered 3 s late, so its first tick (its buy) is still out when Stop comes
    const b = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 }, tickSeconds: 3600 });
    await rt.demo.admin("POST", "/_demo/faults", { apiKey: b.apiKey, kind: "latency", ms: 3000, path: "/api/v3/order", method: "POST", durationMs: 60_000 });
    await setDesired(t.db, b.botId, "running");
    await statusIs(b.botId, "running", 60_000);
    await setDesired(t.db, b.botId, "stopped");
    await statusIs(b.botId, "stopped", 30_000); // before the fix: at the next tick, up to an hour later
    const c = await compareWithExchange(t.db, b.botId, b.client, "DEMO/USDT");
    expect({ missing: c.missing, extra: c.extra, pending: c.pending, open: c.open }).toEqual({ missing: [], extra: [], pending: 0, open: 0 });
  }, 120_000);

  it("an order whose answer is lost is looked up by its client order id and found: one order, one row, never sent twice", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 } });
    await rt.demo.admin("POST", "/_demo/faults", { apiKey: b.apiKey, kind: "dropResponse", path: "/api/v3/order", method: "POST", durationMs: 3000 });
    await setDesired(t.db, b.botId, "running");
    const row = await waitUntil("the order resolved", async () => (await t.db.order.findFirst({ where: { botId: b.botId, status: "closed" } })) ?? undefined, 30_000);
    expect(row.error).toMatch(/outcome unknown/);
    await setDesired(t.db, b.botId, "stopped");
    await statusIs(b.botId, "stopped");
    const c = await compareWithExchange(t.db, b.botId, b.client, "DEMO/USDT");
    expect(c.exchangeOrders).toBe(1);
    expect({ rows: c.rows, missing: c.missing, extra: c.extra, mismatched: c.mismatched, tradesMissing: c.tradesMissing }).toEqual({ rows: 1, missing: [], extra: [], mismatched: [], tradesMissing: [] });
  });

  it("a fill of the tick's own order shows at once: the position, PnL and balances the pages read are written in the same tick, not a minute later", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 } });
    await setDesired(t.db, b.botId, "running");
    const fill = await waitUntil("the buy filled", async () => (await t.db.trade.findFirst({ where: { botId: b.botId } })) ?? undefined, 30_000);
    const position = new Money(fill.amount).sub(fill.fee); // the fee is taken in DEMO
    // the market order's answer carries its fill, recorded while the tick places it: no later sync or stream message reports it again
    const row = await waitUntil("the PnL with the fill", async () => { const r = await botRow(b.botId); return JSON.parse(r.pnl || "{}").position === position.toFixed() ? r : undefined; }, 5000);
    expect(new Money((JSON.parse(row.balances!) as Record<string, { total: string }>).DEMO!.total).toFixed()).toBe(position.add(2000).toFixed());
    await setDesired(t.db, b.botId, "stopped");
    await statusIs(b.botId, "stopped");
  });

  it("a row written before a crash whose request never left is marked never placed after three 'no such order' answers", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 } });
    const seq = (await t.db.bot.update({ where: { id: b.botId }, data: { orderSeq: { increment: 1 } } })).orderSeq;
    const ghost = await t.db.order.create({ data: { botId: b.botId, keyId: b.keyId, clientOrderId: clientOrderId("demo", b.botId, seq), symbol: "DEMO/USDT", side: "buy", type: "market", amount: "10", fencingToken: 1, sentAt: new Date(Date.now() - 60_000) } });
    await setDesired(t.db, b.botId, "paused"); // reconcile, but place nothing
    const row = await waitUntil("never placed", async () => { const r = await t.db.order.findUniqueOrThrow({ where: { id: ghost.id } }); return r.status === "rejected" ? r : undefined; }, 30_000);
    expect(row.lookupMisses).toBe(3);
    expect(row.error).toMatch(/never placed/);
    expect(await b.client.fetchOrders("DEMO/USDT")).toEqual([]);
    await setDesired(t.db, b.botId, "stopped");
    await statusIs(b.botId, "stopped");
  });

  it("pause keeps orders and places nothing; resume trades again; stop without cancelling keeps them; the kill switch cancels them even so", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "grid", params: { lower: "0.5", upper: "3", levels: 30, orderQuote: "10" }, maxOpenOrders: 3 });
    await controlBot(t.db, b.botId, "start", {}, actor);
    await waitUntil("three resting orders", async () => (await b.client.fetchOpenOrders("DEMO/USDT")).length === 3, 20_000);
    await controlBot(t.db, b.botId, "pause", {}, actor);
    await statusIs(b.botId, "paused");
    const rowsPaused = await t.db.order.count({ where: { botId: b.botId } });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await t.db.order.count({ where: { botId: b.botId } })).toBe(rowsPaused);
    expect((await b.client.fetchOpenOrders("DEMO/USDT")).length).toBe(3);
    await controlBot(t.db, b.botId, "resume", {}, actor);
    await statusIs(b.botId, "running");
    await controlBot(t.db, b.botId, "stop", { cancelOrders: false }, actor);
    expect((await statusIs(b.botId, "stopped")).statusMessage).toMatch(/open order\(s\) kept/);
    expect((await b.client.fetchOpenOrders("DEMO/USDT")).length).toBeGreaterThan(0);
    expect(await killSwitch(t.db, actor)).toMatchObject({ bots: expect.any(Number) });
    await waitUntil("orders cancelled by the kill switch", async () => (await b.client.fetchOpenOrders("DEMO/USDT")).length === 0 && !(await botRow(b.botId)).cancelPending, 20_000);
    expect(await t.db.order.count({ where: { botId: b.botId, status: { in: ["open", "pending"] } } })).toBe(0);
    expect(await t.db.auditEntry.count({ where: { action: { in: ["bot.start", "bot.pause", "bot.resume", "bot.stop", "bots.kill-switch"] } } })).toBeGreaterThanOrEqual(5);
  });

  it("a bot that gives up while cancelling its orders (here its key is deleted at the exchange) is not taken again and again: the cancel request ends with it", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 } });
    await rt.demo.admin("DELETE", `/_demo/keys/${b.apiKey}`);
    await controlBot(t.db, b.botId, "stop", { cancelOrders: true }, actor); // a stopped bot: a worker takes it just to cancel
    expect((await statusIs(b.botId, "error")).statusMessage).toMatch(/The exchange rejected this key/);
    await new Promise((r) => setTimeout(r, 3000)); // supervisor passes every 300 ms
    expect(await t.db.botEvent.count({ where: { botId: b.botId, kind: "lease.acquired" } })).toBe(1);
    expect((await botRow(b.botId)).cancelPending).toBe(false);
  });

  it("Stop on a stopped bot cancels its orders even after its key gained withdraw permission (such a key does not trade, but cancels)", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "grid", params: { lower: "0.5", upper: "3", levels: 30, orderQuote: "10" }, maxOpenOrders: 3 });
    await controlBot(t.db, b.botId, "start", {}, actor);
    await waitUntil("three resting orders", async () => (await b.client.fetchOpenOrders("DEMO/USDT")).length === 3, 20_000);
    await controlBot(t.db, b.botId, "stop", { cancelOrders: false }, actor);
    await statusIs(b.botId, "stopped");
    await rt.demo.admin("PATCH", `/_demo/keys/${b.apiKey}`, { permissions: { read: true, trade: true, withdraw: true } });
    await controlBot(t.db, b.botId, "stop", { cancelOrders: true }, actor);
    await waitUntil("its orders cancelled", async () => (await b.client.fetchOpenOrders("DEMO/USDT")).length === 0 && !(await botRow(b.botId)).cancelPending, 20_000);
    expect((await t.db.exchangeKey.findUniqueOrThrow({ where: { id: b.keyId } })).canWithdraw).toBe(true);
    expect(await t.db.botEvent.count({ where: { botId: b.botId, kind: "lease.acquired" } })).toBe(2); // the start, then the cancel
    expect(await t.db.order.count({ where: { botId: b.botId, status: { in: ["open", "pending"] } } })).toBe(0);
    expect((await botRow(b.botId)).status).toBe("stopped");
  });

  // DEMO/USDT's tick is 0.0001; the order path rounds each level to it (buys down, sells up)
  it.each([
    ["seven levels around the price, none on the tick", (price: Money) => ({ lower: price.mul("0.91").toFixed(6), upper: price.mul("1.09").toFixed(6), levels: 7, orderQuote: "10" }), 6],
    // about 50 buy levels under the price, fewer than the limit: room is left at every tick for a level that looks empty
    ["200 levels 1.2 ticks apart: a level rounded down lies nearer the level below it", (price: Money) => ({ lower: price.sub("0.006").toFixed(6), upper: price.sub("0.006").add("0.02388").toFixed(6), levels: 200, orderQuote: "5" }), 100],
  ])("a live grid whose levels round to the market's tick rests one order per price, however many more the open-order limit allows: %s", async (_, gridAround, most) => {
    const b = await demoBot(t.db, rt.demo, { strategy: "grid", params: { lower: "1", upper: "2" }, maxOpenOrders: most });
    const price = new Money(String((await b.client.fetchTicker("DEMO/USDT")).last));
    await t.db.bot.update({ where: { id: b.botId }, data: { params: JSON.stringify(gridAround(price)) } });
    await controlBot(t.db, b.botId, "start", {}, actor);
    await waitUntil("resting buys", async () => (await b.client.fetchOpenOrders("DEMO/USDT")).length >= 2, 20_000);
    await new Promise((r) => setTimeout(r, 4000)); // ticks every second: each one placed another order at a level it saw empty before
    const prices = (await b.client.fetchOpenOrders("DEMO/USDT")).map((o) => o.price);
    expect(prices.length).toBeLessThanOrEqual(most);
    expect(new Set(prices).size).toBe(prices.length);
    await controlBot(t.db, b.botId, "stop", {}, actor);
    await statusIs(b.botId, "stopped");
  });

  it("a strategy that throws three ticks running puts the bot in error with the reason", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "dca" });
    await t.db.bot.update({ where: { id: b.botId }, data: { strategy: "test-throws", params: "{}" } });
    await setDesired(t.db, b.botId, "running");
    const bot = await statusIs(b.botId, "error");
    expect(bot.statusMessage).toMatch(/The strategy failed \(3 in a row\): boom/);
    expect(bot.desiredState).toBe("stopped");
  });

  it("ticks failing for a while are a stall: one event and alert, another when a tick goes through again; the bot's error is then cleared", async () => {
    const channel = await t.db.alertChannel.create({ data: { name: `stalls ${kind}`, type: "webhook", events: JSON.stringify(["bot.stalled"]), config: JSON.stringify({ url: "http://127.0.0.1:9/", format: "keyward" }) } });
    await alertsFromNewEvents(t.db); // the first pass only sets where alerts start
    const b = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "15", intervalMinutes: 600 } });
    await setDesired(t.db, b.botId, "running");
    await statusIs(b.botId, "running");
    // the market's prices answer a maintenance page for 16 s: every tick fails, retried after 1, 2, 4, 8 s (a slow tick
    // under load may start the streak seconds late: the streak needs 3 s of it)
    await rt.demo.admin("POST", "/_demo/faults", { kind: "error5xx", path: "/api/v3/ticker", durationMs: 16_000 });
    const event = (kind: string) => () => t.db.botEvent.findFirst({ where: { botId: b.botId, kind } }).then((e) => e ?? undefined);
    const stalled = await waitUntil("a stall", event("bot.stalled"), 30_000);
    expect(stalled.message).toMatch(/^No tick has gone through for \d+ minute\(s\) \(\d+ failed in a row\); the bot keeps retrying\. Last: the exchange could not be reached or refused for now \(.*503/);
    expect((await botRow(b.botId)).lastError).toMatch(/503/);
    const back = await waitUntil("a tick through again", event("bot.recovered"), 40_000);
    expect(back.message).toMatch(/^Reached the exchange again after \d+ failed tick\(s\) and \d+ minute\(s\)\.$/);
    expect((await botRow(b.botId)).lastError).toBeNull();
    expect(await t.db.botEvent.count({ where: { botId: b.botId, kind: "bot.stalled" } })).toBe(1); // one per streak, not one per failed tick
    const alerts = await waitUntil("two alerts", async () => {
      await alertsFromNewEvents(t.db);
      const rows = await t.db.alert.findMany({ where: { channelId: channel.id }, orderBy: { occurredAt: "asc" } });
      return rows.length >= 2 ? rows : undefined;
    }, 15_000);
    expect(alerts.map((a) => [a.event, a.severity, a.subjectLabel, a.message])).toEqual([
      ["bot.stalled", "warning", (await botRow(b.botId)).name, stalled.message],
      ["bot.stalled", "warning", (await botRow(b.botId)).name, back.message],
    ]);
    await setDesired(t.db, b.botId, "stopped");
    await statusIs(b.botId, "stopped");
  });

  it("a start whose reconciliation fails is retried until it succeeds; the failure is one alert, not one per retry", async () => {
    const channel = await t.db.alertChannel.create({ data: { name: `errors ${kind}`, type: "webhook", events: JSON.stringify(["bot.error"]), config: JSON.stringify({ url: "http://127.0.0.1:9/", format: "keyward" }) } });
    await alertsFromNewEvents(t.db);
    const b = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "15", intervalMinutes: 600 } });
    // its open orders cannot be read for 12 s: the start fails, and its retry 5 s later; the next, 10 s after, succeeds. Each
    // answer takes a second, so the supervisor's passes (every 300 ms) update the runner while its start waits
    await rt.demo.admin("POST", "/_demo/faults", { apiKey: b.apiKey, kind: "error5xx", path: "/api/v3/openOrders", durationMs: 12_000 });
    await rt.demo.admin("POST", "/_demo/faults", { apiKey: b.apiKey, kind: "latency", ms: 1000, path: "/api/v3/openOrders", durationMs: 12_000 });
    await setDesired(t.db, b.botId, "running");
    await statusIs(b.botId, "running", 45_000);
    const failed = (await t.db.botEvent.findMany({ where: { botId: b.botId, kind: "bot.status" }, orderBy: { id: "asc" } })).map((e) => JSON.parse(e.data) as { status: string; again?: boolean }).filter((d) => d.status === "error");
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed.map((d) => d.again ?? false)).toEqual([false, ...failed.slice(1).map(() => true)]);
    const lastEvent = (await t.db.botEvent.findFirst({ where: { botId: b.botId }, orderBy: { id: "desc" } }))!.id;
    await waitUntil("the bot's events read for alerts", async () => {
      await alertsFromNewEvents(t.db);
      return (await t.db.alertCursor.findUniqueOrThrow({ where: { name: "events" } })).lastEventId >= lastEvent;
    }, 15_000);
    const alerts = await t.db.alert.findMany({ where: { channelId: channel.id } });
    expect(alerts.map((a) => [a.event, a.subjectLabel])).toEqual([["bot.error", (await botRow(b.botId)).name]]);
    expect(alerts[0]!.message).toMatch(/Reconciliation with the exchange failed: .*503.*it will be tried again/);
    expect((await botRow(b.botId)).lastError).toBeNull(); // running: the failed starts' error is not shown as current (a soak found it left)
    await setDesired(t.db, b.botId, "stopped");
    await statusIs(b.botId, "stopped");
  });

  it("a strategy sees the market's rules the runner rounds orders by (DEMO/USDT: step 1, tick 0.0001, minimum 1, minimum notional 1), so it can tell dust from a position", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 } });
    await t.db.bot.update({ where: { id: b.botId }, data: { strategy: "test-market-view", params: "{}" } });
    await setDesired(t.db, b.botId, "running");
    const seen = await waitUntil("a tick", async () => (JSON.parse((await t.db.bot.findUniqueOrThrow({ where: { id: b.botId } })).strategyState || "{}") as { market?: unknown }).market, 15_000);
    expect(seen).toEqual({ amountStep: "1", priceTick: "0.0001", minAmount: "1", minNotional: "1" });
    await setDesired(t.db, b.botId, "stopped");
  });

  it("risk limits: a refused intent is a risk event and never an order; the day's loss limit stops the bot", async () => {
    const tiny = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 } });
    // saving a bot refuses an order size over its limit (lib/strategies/order-size.ts); the limit holds at every order all the same
    await t.db.bot.update({ where: { id: tiny.botId }, data: { maxOrderNotional: "5" } });
    await setDesired(t.db, tiny.botId, "running");
    const refusal = await waitUntil("a refusal", async () => (await t.db.botEvent.findFirst({ where: { botId: tiny.botId, kind: "risk.refused" } })) ?? undefined, 15_000);
    expect(refusal.message).toMatch(/more than the limit of 5 per order/);
    expect(await t.db.order.count({ where: { botId: tiny.botId } })).toBe(0);
    await setDesired(t.db, tiny.botId, "stopped");

    const loser = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 }, maxDailyLoss: "0.0001" });
    await setDesired(t.db, loser.botId, "running");
    await waitUntil("a risk stop", async () => (await t.db.botEvent.count({ where: { botId: loser.botId, kind: "risk.stop" } })) > 0, 30_000);
    const stopped = await statusIs(loser.botId, "stopped", 30_000);
    expect(stopped.statusMessage).toMatch(/Risk stop: the day's loss/);
    expect(await t.db.botEvent.count({ where: { botId: loser.botId, kind: "risk.stop" } })).toBe(1);
  });

  it("a buy the account cannot pay for is refused before it is sent: no order row, no request, the shortfall named; funded, it buys", async () => {
    const poor = await demoBot(t.db, rt.demo, { strategy: "market-maker", params: { orderQuote: "20", spreadPct: "1" }, balances: { USDT: "5" } });
    await setDesired(t.db, poor.botId, "running");
    const refusal = await waitUntil("a refusal", async () => (await t.db.botEvent.findFirst({ where: { botId: poor.botId, kind: "risk.refused", message: { contains: "not enough" } } })) ?? undefined, 15_000);
    // 20 USDT's worth rounded down to the market's whole DEMO: the need depends on the demo's price now
    const need = Number(/not enough USDT on the account for a buy: it needs ([\d.]+), 5 is free/.exec(refusal.message)?.[1]);
    expect(need).toBeGreaterThan(15);
    expect(need).toBeLessThanOrEqual(20);
    expect(await t.db.order.count({ where: { botId: poor.botId } })).toBe(0);
    expect(await poor.client.fetchOrders("DEMO/USDT")).toEqual([]);
    // a deposit: the balances are read again before the next refusal (at most every 10 s), and the buy goes out
    await rt.demo.admin("POST", `/_demo/accounts/${poor.accountId}/deposit`, { balances: { USDT: "1000" } });
    await waitUntil("a buy", async () => (await t.db.order.count({ where: { botId: poor.botId, side: "buy", status: "open" } })) > 0, 30_000);
    expect(await t.db.order.count({ where: { botId: poor.botId, status: "rejected" } })).toBe(0);
    await setDesired(t.db, poor.botId, "stopped");
    await statusIs(poor.botId, "stopped");
  });

  it("a DCA buy refused for want of funds is one alert, and goes out as soon as the account can pay, not an interval later", async () => {
    const channel = await t.db.alertChannel.create({ data: { name: `unfunded ${kind}`, type: "webhook", events: JSON.stringify(["bot.unfunded"]), config: JSON.stringify({ url: "http://127.0.0.1:9/", format: "keyward" }) } });
    await alertsFromNewEvents(t.db); // the first pass only sets where alerts start
    const dca = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 }, balances: { USDT: "5" } });
    await setDesired(t.db, dca.botId, "running");
    const refusal = await waitUntil("a refusal", async () => (await t.db.botEvent.findFirst({ where: { botId: dca.botId, kind: "risk.refused", message: { contains: "not enough USDT" } } })) ?? undefined, 15_000);
    await alertsFromNewEvents(t.db);
    const alerts = await t.db.alert.findMany({ where: { channelId: channel.id, subjectId: dca.botId } }); // (earlier tests' bots alert there too)
    expect(alerts.map((x) => [x.event, x.severity, x.message])).toEqual([["bot.unfunded", "warning", refusal.message]]);
    expect(refusal.message).toMatch(/^Refused: not enough USDT on the account for a buy: it needs [\d.]+, 5 is free \(as read at .* UTC\)\. Add USDT to the account or lower the order size\.$/);
    expect(await t.db.order.count({ where: { botId: dca.botId } })).toBe(0);
    // asked again at every tick, it reads the balances again every 10 s, but stores them only when they change (or once a minute)
    const snapshots = await t.db.balanceSnapshot.count({ where: { botId: dca.botId } });
    await new Promise((r) => setTimeout(r, 22_000));
    expect(await t.db.balanceSnapshot.count({ where: { botId: dca.botId } })).toBe(snapshots);
    // a worker restart within the streak is no second alert: the streak is kept in the bot row
    expect(JSON.parse((await botRow(dca.botId)).alertStreaks!)).toEqual({ unfunded: ["buy"], rejecting: false });
    const refusals = await t.db.botEvent.count({ where: { botId: dca.botId, kind: "risk.refused" } });
    await rt.restart();
    await waitUntil("the next runner's refusal", async () => (await t.db.botEvent.count({ where: { botId: dca.botId, kind: "risk.refused" } })) > refusals, 20_000);
    await alertsFromNewEvents(t.db);
    expect(await t.db.alert.count({ where: { channelId: channel.id, subjectId: dca.botId } })).toBe(1);
    // the refused buy is not the interval's buy: after a deposit it goes out (the balances are read again within 10 s), once
    await rt.demo.admin("POST", `/_demo/accounts/${dca.accountId}/deposit`, { balances: { USDT: "1000" } });
    await waitUntil("the buy", async () => (await t.db.trade.count({ where: { botId: dca.botId } })) > 0, 30_000);
    await new Promise((r) => setTimeout(r, 3000)); // ticks go on: no second buy within the interval
    const orders = await t.db.order.findMany({ where: { botId: dca.botId } });
    expect(orders.map((o) => [o.side, o.status])).toEqual([["buy", "closed"]]);
    expect(Number(JSON.parse((await botRow(dca.botId)).strategyState ?? "{}").lastBuyAt)).toBeGreaterThan(0);
    expect(JSON.parse((await botRow(dca.botId)).alertStreaks!)).toEqual({ unfunded: [], rejecting: false }); // the buy went out: a next refusal alerts again
    await setDesired(t.db, dca.botId, "stopped");
    await statusIs(dca.botId, "stopped");
  }, 90_000);

  it("a DCA buy the exchange refuses for now (a rate limit) goes out after the backoff, not an interval later", async () => {
    const dca = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 } });
    // Binance's -1003 on the order request for 2 s: refused before it could execute
    await rt.demo.admin("POST", "/_demo/faults", { apiKey: dca.apiKey, kind: "rateLimit", path: "/api/v3/order", method: "POST", durationMs: 2000 });
    await setDesired(t.db, dca.botId, "running");
    // one or more refused (a retry within the 2 s meets it again), then the one buy
    const failed = await failedBeforeTheBuy(dca.botId, 30_000);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const o of failed) expect([o.status, o.error]).toEqual(["rejected", expect.stringMatching(/-1003/)]);
    await setDesired(t.db, dca.botId, "stopped");
    await statusIs(dca.botId, "stopped");
  });

  it("a DCA buy whose answer was lost and which the exchange never got goes out once the lookups say so, not an interval later", async () => {
    const dca = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 } });
    await setDesired(t.db, dca.botId, "paused"); // started and reconciled: resumed, it buys at once
    await statusIs(dca.botId, "paused");
    // a maintenance page (503) on the order request for 3 s: the answer says nothing of the order, which the demo never took
    await rt.demo.admin("POST", "/_demo/faults", { apiKey: dca.apiKey, kind: "error5xx", path: "/api/v3/order", method: "POST", durationMs: 3000 });
    await setDesired(t.db, dca.botId, "running");
    // one or more never placed (the next attempt, some 8 s on, may meet the 503 again), then the one buy
    const failed = await failedBeforeTheBuy(dca.botId, 40_000);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const o of failed) expect([o.status, o.filled, o.error]).toEqual(["rejected", "0", expect.stringMatching(/never placed/)]);
    expect(await dca.client.fetchOrders("DEMO/USDT")).toHaveLength(1);
    await setDesired(t.db, dca.botId, "stopped");
    await statusIs(dca.botId, "stopped");
  }, 90_000);

  it("a DCA buy whose answer was lost goes out once the lookups say it was never placed, also when the worker restarted in between", async () => {
    const dca = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 } });
    await setDesired(t.db, dca.botId, "paused");
    await statusIs(dca.botId, "paused");
    await rt.demo.admin("POST", "/_demo/faults", { apiKey: dca.apiKey, kind: "error5xx", path: "/api/v3/order", method: "POST", durationMs: 3000 });
    await setDesired(t.db, dca.botId, "running");
    // the buy's answer lost: the tick is kept in the bot row; the worker restarts before the lookups can tell
    await waitUntil("the undecided tick", async () => (await botRow(dca.botId)).undecidedTick !== null, 20_000);
    await rt.restart();
    const failed = await failedBeforeTheBuy(dca.botId, 40_000);
    expect(failed.length).toBeGreaterThanOrEqual(1);
    for (const o of failed) expect([o.status, o.filled, o.error]).toEqual(["rejected", "0", expect.stringMatching(/never placed/)]);
    expect(await dca.client.fetchOrders("DEMO/USDT")).toHaveLength(1);
    expect((await botRow(dca.botId)).undecidedTick).toBeNull();
    await setDesired(t.db, dca.botId, "stopped");
    await statusIs(dca.botId, "stopped");
  }, 90_000);

  it("a DCA buy the exchange rejects for want of funds (another key of the account took them) goes out once the account can pay, not an interval later", async () => {
    const dca = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 }, balances: { USDT: "30" } });
    await setDesired(t.db, dca.botId, "paused"); // started: its balances read, 30 USDT free
    await statusIs(dca.botId, "paused");
    // another key of the same account locks 25 USDT in a buy far under the price
    const other = rt.demo.client(await rt.demo.key(dca.accountId, { read: true, trade: true }, { ipRestrict: true, ips: ["127.0.0.1", "::1"] }));
    const locking = await other.createOrder("DEMO/USDT", "limit", "buy", 50, 0.5);
    await setDesired(t.db, dca.botId, "running");
    const rejected = await waitUntil("the exchange's rejection", async () => (await t.db.order.findFirst({ where: { botId: dca.botId, status: "rejected" } })) ?? undefined, 15_000);
    expect(rejected.error).toMatch(/insufficient balance/);
    // the balances are read again at once: after the cooldown the buy is refused here, with the shortfall, not sent again
    await waitUntil("a refusal", async () => (await t.db.botEvent.findFirst({ where: { botId: dca.botId, kind: "risk.refused", message: { contains: "not enough USDT" } } })) ?? undefined, 15_000);
    expect(await t.db.order.count({ where: { botId: dca.botId } })).toBe(1);
    await other.cancelOrder(locking.id!, "DEMO/USDT");
    expect((await failedBeforeTheBuy(dca.botId, 30_000)).map((o) => o.status)).toEqual(["rejected"]);
    await setDesired(t.db, dca.botId, "stopped");
    await statusIs(dca.botId, "stopped");
  }, 90_000);

  it("orders the exchange rejects (a trading halt) are one alert until it accepts one again, a worker restart within the halt included; the bot tries again after each cooldown", async () => {
    const channel = await t.db.alertChannel.create({ data: { name: `rejected ${kind}`, type: "webhook", events: JSON.stringify(["bot.rejected"]), config: JSON.stringify({ url: "http://127.0.0.1:9/", format: "keyward" }) } });
    await alertsFromNewEvents(t.db); // the first pass only sets where alerts start
    const b = await demoBot(t.db, rt.demo, { strategy: "market-maker", params: { spreadPct: "2", orderQuote: "15", maxInventoryQuote: "60" } });
    await setDesired(t.db, b.botId, "paused"); // started: resumed, it quotes at once
    await statusIs(b.botId, "paused");
    // the market halts until the test lifts it: with the suite's 3 s cooldown, a rejection every few seconds
    await rt.demo.admin("POST", "/_demo/faults", { apiKey: b.apiKey, kind: "marketClosed", path: "/api/v3/order", method: "POST", durationMs: 120_000 });
    await setDesired(t.db, b.botId, "running");
    const rejectedCount = () => t.db.order.count({ where: { botId: b.botId, status: "rejected" } });
    await waitUntil("the streak kept in the bot row", async () => JSON.parse((await botRow(b.botId)).alertStreaks ?? "{}").rejecting === true || undefined, 20_000);
    // a worker restart within the halt: the next runner's rejection is no second alert
    const beforeRestart = await rejectedCount();
    await rt.restart();
    await waitUntil("the next runner's rejection", async () => (await rejectedCount()) > beforeRestart || undefined, 30_000);
    await rt.demo.admin("DELETE", "/_demo/faults");
    // then its bid rests (flat, it quotes no ask)
    await waitUntil("the bid resting", async () => (await t.db.order.count({ where: { botId: b.botId, status: "open" } })) > 0 || undefined, 30_000);
    const rejected = await t.db.order.findMany({ where: { botId: b.botId, status: "rejected" }, orderBy: { createdAt: "asc" } });
    expect(rejected.length).toBeGreaterThanOrEqual(2);
    for (const o of rejected) expect(o.error).toMatch(/Market is closed/);
    await alertsFromNewEvents(t.db);
    const alerts = await t.db.alert.findMany({ where: { channelId: channel.id, subjectId: b.botId } }); // (earlier tests' bots may alert there too)
    expect(alerts.map((a) => [a.event, a.severity, a.message])).toEqual([["bot.rejected", "warning", expect.stringMatching(new RegExp(`^Order ${rejected[0]!.clientOrderId} pending → rejected: .*Market is closed`))]]);
    expect(JSON.parse((await botRow(b.botId)).alertStreaks!).rejecting).toBe(false); // accepted again: a next rejection alerts
    await setDesired(t.db, b.botId, "stopped");
    await statusIs(b.botId, "stopped");
  }, 120_000);

  it("issue 10: fills arrive by the exchange's user-data stream, recorded within a second of the exchange's fill time even with a 30 s tick", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "market-maker", params: { spreadPct: "0.05", orderQuote: "15", maxInventoryQuote: "60" }, tickSeconds: 30 });
    await setDesired(t.db, b.botId, "running");
    // quotes re-placed only every 30 s can sit while the price walks away: allow a few ticks for the first fill
    const trade = await waitUntil("a fill", async () => (await t.db.trade.findFirst({ where: { botId: b.botId } })) ?? undefined, 90_000);
    expect(trade.recordedAt.getTime() - trade.executedAt.getTime()).toBeLessThan(1000);
    // the fill's event is written with the rest of the tick's events, a moment after the trade row
    const event = await waitUntil("the trade event", async () => (await t.db.botEvent.findFirst({ where: { botId: b.botId, kind: "trade" } })) ?? undefined, 5000);
    expect((JSON.parse(event.data) as { timestamp: number }).timestamp).toBe(trade.executedAt.getTime());
    await setDesired(t.db, b.botId, "stopped");
    await statusIs(b.botId, "stopped");
    const c = await compareWithExchange(t.db, b.botId, b.client, "DEMO/USDT");
    expect({ missing: c.missing, extra: c.extra, mismatched: c.mismatched, tradesMissing: c.tradesMissing, open: c.open }).toEqual({ missing: [], extra: [], mismatched: [], tradesMissing: [], open: 0 });
  }, 150_000);
});

describe.each(databaseKinds)("funds check on %s: a re-quote", (kind) => {
  const t = useTestDatabase(kind);
  const rt = useRuntime(t, `wq-${kind}`);

  it("places its new quote with what its cancel just freed: a market maker with funds for one quote re-quotes with no refusal", async () => {
    // the demo's market held still, then moved up far enough for a re-quote (a quarter of the 10 % spread)
    // but never down to the bid 5 % under the price: no fill can change the balances between the quotes
    const d = rt.demo;
    const rise = await pauseBeforeARise(d, "DEMOUSDT", 0.03, 0.04);

    // 21 USDT: one quote of 20 takes all but about one of them until the balances are read again
    const b = await demoBot(t.db, d, { strategy: "market-maker", params: { spreadPct: "10", orderQuote: "20", maxInventoryQuote: "200" }, balances: { USDT: "21" } });
    await setDesired(t.db, b.botId, "running");
    const openBuys = () => t.db.order.findMany({ where: { botId: b.botId, side: "buy", status: "open" } });
    const [first] = await waitUntil("the first quote", async () => ((await openBuys()).length ? openBuys() : undefined), 15_000);
    // within seconds of the start's balance read (re-read before a refusal only when 10 s old): the freed funds are the cancel's to give back
    await d.admin("POST", "/_demo/clock", { advanceMs: rise });
    const [second] = await waitUntil("the re-quote", async () => {
      const buys = await openBuys();
      return buys.length && buys[0]!.id !== first!.id ? buys : undefined;
    }, 15_000);
    expect(new Money(second!.price!).gt(first!.price!)).toBe(true);
    expect(await t.db.order.findUniqueOrThrow({ where: { id: first!.id } })).toMatchObject({ status: "canceled", filled: "0" });
    expect(await t.db.botEvent.count({ where: { botId: b.botId, kind: "risk.refused" } })).toBe(0);
    expect(await t.db.trade.count({ where: { botId: b.botId } })).toBe(0);
    await setDesired(t.db, b.botId, "stopped");
    await waitUntil("stopped", async () => (await t.db.bot.findUniqueOrThrow({ where: { id: b.botId } })).status === "stopped", 20_000);
  }, 60_000);
});
