/**
 * Bots on one exchange account, each with its own key (the usual setup: one
 * account, one key per bot). The account's orders reach every bot on it (its
 * open-orders list, its user-data stream); a bot must tell another Keyward
 * bot's orders from another program's. Real ccxt against the demo exchange,
 * on SQLite and PostgreSQL.
 */
import { describe, expect, it } from "vitest";
import { dailySummary } from "@/lib/alerts/scheduled";
import { latestBalances, onePerAccount } from "@/lib/bot-settings/balances";
import { Money } from "@/lib/money";
import { compareWithExchange, demoBot, setDesired, waitUntil } from "../helpers/bots";
import { databaseKinds, useTestDatabase } from "../helpers/databases";
import { useRuntime } from "../helpers/runtime";

describe.each(databaseKinds)("bots sharing an exchange account on %s", (kind) => {
  const t = useTestDatabase(kind);
  const rt = useRuntime(t, `w-shared-${kind}`);

  it("two bots on one account trade the same symbol: neither reports the other's orders as another program's, an order placed by hand is reported once by each, also after a restart, and left alone", async () => {
    const mm = { strategy: "market-maker", params: { spreadPct: "0.05", orderQuote: "15", maxInventoryQuote: "60" } };
    const a = await demoBot(t.db, rt.demo, mm);
    const b = await demoBot(t.db, rt.demo, { ...mm, params: { ...mm.params, spreadPct: "0.08" }, accountId: a.accountId });
    const price = (await a.client.fetchTicker("DEMO/USDT")).last!;
    const byHand = await a.client.createOrder("DEMO/USDT", "limit", "buy", 10, Number((price / 2).toFixed(4))); // far under the price: rests

    await setDesired(t.db, a.botId, "running");
    await setDesired(t.db, b.botId, "running");
    for (const bot of [a, b]) await waitUntil("a fill of each bot", async () => (await t.db.trade.count({ where: { botId: bot.botId } })) > 0, 40_000);
    await setDesired(t.db, a.botId, "stopped");
    await setDesired(t.db, b.botId, "stopped");
    for (const bot of [a, b]) await waitUntil("stopped", async () => (await t.db.bot.findUniqueOrThrow({ where: { id: bot.botId } })).status === "stopped", 30_000);

    // a restart reconciles again: the order placed by hand, still there, is not reported a second time
    await setDesired(t.db, a.botId, "paused");
    await waitUntil("paused", async () => (await t.db.bot.findUniqueOrThrow({ where: { id: a.botId } })).status === "paused", 30_000);
    await new Promise((r) => setTimeout(r, 1500)); // a tick or so: its events written
    await setDesired(t.db, a.botId, "stopped");
    await waitUntil("stopped", async () => (await t.db.bot.findUniqueOrThrow({ where: { id: a.botId } })).status === "stopped", 30_000);
    for (const bot of [a, b]) {
      const foreign = await t.db.botEvent.findMany({ where: { botId: bot.botId, kind: "key.foreign-orders" } });
      expect(foreign.map((e) => (JSON.parse(e.data) as { exchangeOrderId: string }).exchangeOrderId)).toEqual([byHand.id]);
      expect(foreign[0]!.message).toContain("not placed by Keyward");
    }
    // Stop cancelled the bots' orders, not the one placed by hand
    expect((await a.client.fetchOpenOrders("DEMO/USDT")).map((o) => o.id)).toEqual([byHand.id]);
    // every order on the account is one bot's row but the hand-placed one; every fill is recorded once, by the bot whose order it filled
    const c = await compareWithExchange(t.db, [a.botId, b.botId], a.client, "DEMO/USDT");
    expect({ missing: c.missing, extra: c.extra, mismatched: c.mismatched, tradesMissing: c.tradesMissing, tradesExtra: c.tradesExtra, open: c.open }).toEqual({ missing: [`${byHand.clientOrderId} (open)`], extra: [], mismatched: [], tradesMissing: [], tradesExtra: [], open: 0 });
    const trades = await t.db.trade.findMany({ where: { botId: { in: [a.botId, b.botId] } }, include: { order: { select: { botId: true } } } });
    expect(trades.filter((tr) => tr.order?.botId !== tr.botId)).toEqual([]);
    expect(new Set(trades.map((tr) => tr.exchangeTradeId)).size).toBe(trades.length);
  });

  it("the keys are known to be of one account (the exchange's uid): its balances count once in the sum, as on the Overview, and in the daily summary", async () => {
    const dca = { strategy: "dca", params: { quoteAmount: "10", intervalMinutes: 600 }, balances: { USDT: "5000", DEMO: "300" } };
    const a = await demoBot(t.db, rt.demo, dca);
    const b = await demoBot(t.db, rt.demo, { ...dca, accountId: a.accountId });
    const other = await demoBot(t.db, rt.demo, dca); // an account of its own
    for (const bot of [a, b, other]) expect((await t.db.exchangeKey.findUniqueOrThrow({ where: { id: bot.keyId } })).accountUid).toBe(String(bot.accountId));
    for (const bot of [a, b, other]) await setDesired(t.db, bot.botId, "running");
    for (const bot of [a, b, other]) await waitUntil("a buy", async () => (await t.db.trade.count({ where: { botId: bot.botId } })) > 0, 30_000);
    for (const bot of [a, b, other]) await setDesired(t.db, bot.botId, "stopped");
    for (const bot of [a, b, other]) await waitUntil("stopped", async () => (await t.db.bot.findUniqueOrThrow({ where: { id: bot.botId } })).status === "stopped", 30_000);

    const mine = new Set([a.botId, b.botId, other.botId]);
    const usdt = async (c: typeof a.client) => String(((await c.fetchBalance()) as unknown as { total: Record<string, number> }).total.USDT);
    // the latest snapshot of the shared account has both buys in it (a bot snapshots its balances when it stops)
    const { accounts, unknownAccounts } = await waitUntil("snapshots after both buys", async () => {
      const r = onePerAccount((await latestBalances(t.db, { paper: false })).filter((x) => mine.has(x.botId)));
      const shared = r.accounts.find((x) => x.exchangeAccount === String(a.accountId));
      return shared && new Money(shared.balances.find((x) => x.currency === "USDT")!.total).eq(await usdt(a.client)) ? r : undefined;
    }, 20_000);
    expect(unknownAccounts).toBe(0);
    expect(accounts.map((x) => x.exchangeAccount).sort()).toEqual([String(a.accountId), String(other.accountId)].sort());
    // the two accounts' USDT: 4980 on the shared one (two buys of 10), 4990 on the other; not 4980 counted twice
    const total = accounts.reduce((s, x) => s.add(x.balances.find((c) => c.currency === "USDT")!.total), new Money(0));
    expect(total.eq(new Money(await usdt(a.client)).add(await usdt(other.client)))).toBe(true);

    await t.db.alertChannel.create({ data: { name: "summary", type: "webhook", events: JSON.stringify(["daily.summary"]), config: JSON.stringify({ url: "http://127.0.0.1:9/", format: "keyward" }), createdAt: new Date(Date.now() - 86_400_000) } });
    expect(await dailySummary(t.db)).toBe(1);
    const summary = await t.db.alert.findFirstOrThrow({ where: { event: "daily.summary" } });
    // every live account in this database (the first test's too), each once
    const all = onePerAccount(await latestBalances(t.db, { paper: false })).accounts;
    expect(all.length).toBeLessThan((await latestBalances(t.db, { paper: false })).length);
    const allUsdt = all.reduce((s, x) => s.add(x.balances.find((c) => c.currency === "USDT")?.total ?? 0), new Money(0));
    expect(summary.message).toContain(`USDT ${allUsdt.toString()}`);
  });
});
