/**
 * Bots on one exchange account, each with its own key (the usual setup: one
 * account, one key per bot). The account's orders reach every bot on it (its
 * open-orders list, its user-data stream); a bot must tell another Keyward
 * bot's orders from another program's. Real ccxt against the demo exchange,
 * on SQLite and PostgreSQL.
 */
import { describe, expect, it } from "vitest";
import { compareWithExchange, demoBot, setDesired, waitUntil } from "../helpers/bots";
import { databaseKinds, useTestDatabase } from "../helpers/databases";
import { useRuntime } from "../helpers/runtime";

describe.each(databaseKinds)("bots sharing an exchange account on %s", (kind) => {
  const t = useTestDatabase(kind);
  const rt = useRuntime(t, `w-shared-${kind}`);

  it("two bots on one account trade the same symbol: neither reports the other's orders as another program's, an order placed by hand is reported by both and left alone", async () => {
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
});
