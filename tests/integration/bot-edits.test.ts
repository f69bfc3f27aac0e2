/**
 * Editing a stopped bot against the real runtime (supervisor, runners, real
 * ccxt on the demo exchange), on SQLite and PostgreSQL: its open orders are
 * not left behind by a change of symbol, mode or key, a key rotation, or
 * deleting it; and a changed symbol, mode or exchange account starts the
 * position afresh (paper fills are not a live bot's position, nor another
 * account's holdings).
 */
import { describe, expect, it } from "vitest";
import { controlBot } from "@/lib/bot-settings/control";
import { deleteBot, updateBot } from "@/lib/bot-settings/save-bot";
import { InvalidInputError } from "@/lib/errors";
import { rotateBotKey } from "@/lib/keys/rotate-key";
import { Money } from "@/lib/money";
import { botSchema } from "@/lib/validation/keys";
import { demoBot, setDesired, waitUntil } from "../helpers/bots";
import { databaseKinds, useTestDatabase } from "../helpers/databases";
import { useRuntime } from "../helpers/runtime";

const actor = { id: null, label: "test", ip: null };

describe.each(databaseKinds)("editing bots on %s", (kind) => {
  const t = useTestDatabase(kind);
  const rt = useRuntime(t, `w-${kind}`);

  const botRow = (id: string) => t.db.bot.findUniqueOrThrow({ where: { id } });
  const statusIs = (id: string, status: string) => waitUntil(`status ${status}`, async () => ((await botRow(id)).status === status ? botRow(id) : undefined), 20_000);
  const openRows = (botId: string) => t.db.order.findMany({ where: { botId, status: { in: ["pending", "open"] } } });
  /** The bot's settings as the form or the API would send them, with `change` applied. */
  const edit = async (botId: string, change: Record<string, unknown>) => {
    const b = await botRow(botId);
    const input = botSchema.parse({ name: b.name, keyId: b.keyId, symbol: b.symbol, strategy: b.strategy, params: JSON.parse(b.params), mode: b.mode, tickSeconds: b.tickSeconds, maxOrderNotional: b.maxOrderNotional, maxOpenOrders: b.maxOpenOrders, maxDailyLoss: b.maxDailyLoss, ...change });
    return updateBot(t.db, botId, input, input.params, actor, rt.demo.url);
  };
  const refusal = (p: Promise<unknown>) => p.then(() => { throw new Error("not refused"); }, (err: unknown) => { if (!(err instanceof InvalidInputError)) throw err; return { message: err.message, fields: err.fieldErrors }; });

  it("a stopped bot with open orders keeps its symbol, mode and key (but for one of the same exchange account) and is not deleted until they are cancelled; Stop on the stopped bot cancels them", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "grid", params: { lower: "0.5", upper: "2", levels: 31, orderQuote: "5" } });
    const other = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 } });
    await t.db.bot.update({ where: { id: other.botId }, data: { keyId: null } }); // frees its key, for the key change below
    await setDesired(t.db, b.botId, "running");
    await waitUntil("resting buys", async () => (await openRows(b.botId)).filter((o) => o.status === "open").length >= 3, 20_000);
    await setDesired(t.db, b.botId, "stopped", false); // Stop, keeping its orders
    await statusIs(b.botId, "stopped");
    const resting = (await openRows(b.botId)).length;
    expect(resting).toBeGreaterThanOrEqual(3);

    const symbol = await refusal(edit(b.botId, { symbol: "BTC/USDT", params: { lower: "10000", upper: "90000", levels: 9, orderQuote: "20" } }));
    expect(symbol.message).toContain(`has ${resting} open orders on DEMO/USDT; changing its symbol would leave them open with nothing following them`);
    expect(symbol.message).toContain('Stop the bot with "cancel its open orders" ticked');
    expect(symbol.fields).toEqual({ symbol: ["Cancel the bot's open orders first."] });
    expect((await refusal(edit(b.botId, { mode: "paper" }))).fields).toEqual({ mode: ["Cancel the bot's open orders first."] });
    expect((await refusal(edit(b.botId, { keyId: other.keyId }))).fields).toEqual({ keyId: ["Cancel the bot's open orders first."] });
    expect((await refusal(deleteBot(t.db, b.botId, actor))).message).toContain("deleting it would leave them open");
    const fresh = await rt.demo.key(await rt.demo.account({ USDT: "10" }), { read: true, trade: true }, { ipRestrict: true, ips: ["127.0.0.1"] });
    const rotate = rotateBotKey(t.db, b.botId, { exchange: "demo", label: `fresh-${kind}`, apiKey: fresh.apiKey, secret: fresh.secret, password: undefined, acceptWithdrawRisk: undefined }, actor, rt.demo.url);
    expect((await refusal(rotate)).message).toContain("rotating it to a key not known to be of the same exchange account would leave them open");
    expect(await t.db.exchangeKey.count({ where: { label: `fresh-${kind}` } })).toBe(0); // refused before the new key is stored
    const unchanged = await botRow(b.botId);
    expect([unchanged.symbol, unchanged.mode, unchanged.keyId, unchanged.deletedAt]).toEqual(["DEMO/USDT", "live", b.keyId, null]);
    // what does not touch the orders may change; so may the key, for one of the same exchange account (it sees the orders)
    expect((await edit(b.botId, { tickSeconds: 2 })).tickSeconds).toBe(2);
    const sameAccountKey = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 }, accountId: b.accountId });
    await t.db.bot.update({ where: { id: sameAccountKey.botId }, data: { keyId: null } });
    expect((await edit(b.botId, { keyId: sameAccountKey.keyId })).key?.id).toBe(sameAccountKey.keyId);
    const rotatedIn = await rt.demo.key(b.accountId, { read: true, trade: true }, { ipRestrict: true, ips: ["127.0.0.1"] });
    expect((await rotateBotKey(t.db, b.botId, { exchange: "demo", label: `same-account-${kind}`, apiKey: rotatedIn.apiKey, secret: rotatedIn.secret, password: undefined, acceptWithdrawRisk: undefined }, actor, rt.demo.url)).ok).toBe(true);
    expect((await openRows(b.botId)).length).toBe(resting); // still followed, through the new key

    await controlBot(t.db, b.botId, "stop", { cancelOrders: true }, actor);
    await waitUntil("its orders cancelled", async () => (await openRows(b.botId)).length === 0 && (await botRow(b.botId)).status === "stopped", 30_000);
    expect(await b.client.fetchOpenOrders("DEMO/USDT")).toEqual([]);
    const moved = await edit(b.botId, { symbol: "BTC/USDT", params: { lower: "10000", upper: "90000", levels: 9, orderQuote: "20" } });
    expect(moved.symbol).toBe("BTC/USDT");
  });

  it("a paper bot that bought and is switched to live starts flat: its position and PnL count the live fills only", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 }, mode: "paper" });
    await setDesired(t.db, b.botId, "running");
    await waitUntil("a paper fill", async () => (await t.db.trade.count({ where: { botId: b.botId, paper: true } })) > 0, 30_000);
    await setDesired(t.db, b.botId, "stopped");
    const paper = await statusIs(b.botId, "stopped");
    expect(new Money(JSON.parse(paper.pnl).position as string).gt(0)).toBe(true);

    const live = await edit(b.botId, { mode: "live" });
    expect(live.pnl).toBeNull(); // the paper account's PnL is not shown as the live bot's
    await setDesired(t.db, b.botId, "running");
    const fill = await waitUntil("a live fill", async () => (await t.db.trade.findFirst({ where: { botId: b.botId, paper: false } })) ?? undefined, 30_000);
    const position = new Money(fill.amount).sub(fill.fee).toFixed(); // the fee is taken in DEMO
    await waitUntil("the live position", async () => JSON.parse((await botRow(b.botId)).pnl || "{}").position === position, 10_000);
    await setDesired(t.db, b.botId, "stopped");
    await statusIs(b.botId, "stopped");
    // a restart counts the same (the position is rebuilt from the fills at every start)
    await setDesired(t.db, b.botId, "paused");
    await statusIs(b.botId, "paused");
    await setDesired(t.db, b.botId, "stopped");
    const after = await statusIs(b.botId, "stopped");
    expect(JSON.parse(after.pnl).position).toBe(position);
  });

  it("a paper bot given a new paper balance starts a new paper account: that balance, no position", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 }, mode: "paper" });
    await setDesired(t.db, b.botId, "running");
    await waitUntil("a paper fill", async () => (await t.db.trade.count({ where: { botId: b.botId } })) > 0, 30_000);
    await setDesired(t.db, b.botId, "stopped");
    await statusIs(b.botId, "stopped");
    expect((await edit(b.botId, { paperStartQuote: "10000.00" })).pnl).not.toBeNull(); // the same balance written otherwise: nothing starts again
    expect((await edit(b.botId, { paperStartQuote: "500" })).pnl).toBeNull();
    await setDesired(t.db, b.botId, "paused"); // reconcile, place nothing
    const paused = await statusIs(b.botId, "paused");
    expect(JSON.parse(paused.paperBalances)).toEqual({ USDT: "500" });
    await waitUntil("no position", async () => JSON.parse((await botRow(b.botId)).pnl || "{}").position === "0", 10_000);
    await setDesired(t.db, b.botId, "stopped");
    await statusIs(b.botId, "stopped");
  });

  it("a live bot given a key of another exchange account starts flat there (edit or rotation); another key of the same account keeps its position", async () => {
    const dca = { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 600 } };
    const b = await demoBot(t.db, rt.demo, dca);
    /** a key added through the add flow and bound to no bot, on `accountId` or a new account */
    const freeKey = async (accountId?: number) => {
      const k = await demoBot(t.db, rt.demo, { ...dca, accountId });
      await t.db.bot.update({ where: { id: k.botId }, data: { keyId: null } });
      return k.keyId;
    };
    await setDesired(t.db, b.botId, "running");
    await waitUntil("a buy", async () => (await t.db.trade.count({ where: { botId: b.botId } })) > 0, 30_000);
    await setDesired(t.db, b.botId, "stopped");
    const stopped = await statusIs(b.botId, "stopped");
    const position = JSON.parse(stopped.pnl).position as string;
    expect(new Money(position).gt(0)).toBe(true);

    expect((await edit(b.botId, { keyId: await freeKey(b.accountId) })).pnl?.position).toBe(position); // the same account holds it
    expect((await edit(b.botId, { keyId: await freeKey() })).pnl).toBeNull(); // another account does not
    const since = (await botRow(b.botId)).positionSince!;
    await setDesired(t.db, b.botId, "paused"); // reconcile on the new account, place nothing
    await statusIs(b.botId, "paused");
    await waitUntil("no position", async () => JSON.parse((await botRow(b.botId)).pnl || "{}").position === "0", 10_000);
    await setDesired(t.db, b.botId, "stopped");
    await statusIs(b.botId, "stopped");

    const minted = await rt.demo.key(await rt.demo.account({ USDT: "100" }), { read: true, trade: true }, { ipRestrict: true, ips: ["127.0.0.1", "::1"] });
    const rotated = await rotateBotKey(t.db, b.botId, { exchange: "demo", label: `rotated-${kind}`, apiKey: minted.apiKey, secret: minted.secret, password: undefined, acceptWithdrawRisk: undefined }, actor, rt.demo.url);
    expect(rotated.ok).toBe(true);
    const after = await botRow(b.botId);
    expect(after.positionSince!.getTime()).toBeGreaterThan(since.getTime());
    expect(after.pnl).toBe("{}");
  });

  it("an order missing from the open list that the exchange says is open stays open (a bot edited before open orders blocked a symbol change)", async () => {
    const b = await demoBot(t.db, rt.demo, { strategy: "grid", params: { lower: "0.5", upper: "2", levels: 31, orderQuote: "5" } });
    await setDesired(t.db, b.botId, "running");
    await waitUntil("resting buys", async () => (await openRows(b.botId)).filter((o) => o.status === "open").length >= 2, 20_000);
    await setDesired(t.db, b.botId, "stopped", false);
    await statusIs(b.botId, "stopped");
    const before = (await openRows(b.botId)).map((o) => o.clientOrderId).sort();
    // as an older Keyward let it be edited: another symbol, the orders still resting on DEMO/USDT
    await t.db.bot.update({ where: { id: b.botId }, data: { symbol: "BTC/USDT", params: JSON.stringify({ lower: "1", upper: "2", levels: 2, orderQuote: "20" }) } });
    await setDesired(t.db, b.botId, "paused"); // reconcile and follow its orders, place nothing
    await statusIs(b.botId, "paused");
    await new Promise((r) => setTimeout(r, 3000)); // a few ticks of following them
    expect((await openRows(b.botId)).map((o) => o.clientOrderId).sort()).toEqual(before);
    expect((await b.client.fetchOpenOrders("DEMO/USDT")).map((o) => o.clientOrderId).sort()).toEqual(before);
  });
});
