/**
 * Issue 11: the replay of a live bot over the demo exchange's real candles
 * (through ccxt) and a real SQLite file. The bot's live history is written as
 * rows (a DCA bot that bought once a minute, an hour ago), so the candles of
 * its period are settled and the comparison is exact: every live buy has its
 * simulated counterpart, and a fill the replayed candles cannot answer yet is
 * "later", never "a fill the backtest did not make".
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replayBot } from "@/lib/backtest/replay";
import { loadVault } from "@/lib/vault/keyring";
import { demoBot } from "../helpers/bots";
import { useTestDatabase } from "../helpers/databases";
import { startDemo, type RunningDemo } from "../helpers/demo-exchange";

const minute = 60_000;

describe("issue 11: replaying a bot compares only what its candles can answer", () => {
  const t = useTestDatabase("sqlite");
  let demo: RunningDemo;
  beforeAll(async () => {
    demo = await startDemo();
    await loadVault(t.db, path.join(mkdtempSync(path.join(os.tmpdir(), "keyward-replay-")), "vault.key")); // the bot's key is sealed to it
  });
  afterAll(async () => demo?.close());

  /** A DCA bot (20 USDT a minute) whose live buys happened `offsets` ms after `start`, with their orders. */
  async function botThatBought(start: number, offsets: number[]): Promise<string> {
    const { botId } = await demoBot(t.db, demo, { strategy: "dca", params: { quoteAmount: "20", intervalMinutes: 1 } });
    for (const [k, offset] of offsets.entries()) {
      const at = new Date(start + offset);
      const order = await t.db.order.create({ data: { botId, clientOrderId: `kw-replay-${botId}-${k}`, symbol: "DEMO/USDT", side: "buy", type: "market", amount: "20", filled: "20", status: "closed", fencingToken: 1, createdAt: at, updatedAt: at } });
      await t.db.trade.create({ data: { botId, orderId: order.id, exchangeTradeId: `t${k}`, symbol: "DEMO/USDT", side: "buy", price: "1", amount: "20", fee: "0.02", feeCurrency: "DEMO", executedAt: at } });
    }
    return botId;
  }

  const start = Math.floor(Date.now() / minute) * minute - 60 * minute;
  const buys = [20_000, 81_000, 142_000, 203_000, 264_000]; // one a minute from 20 s into the first minute; the last at 4:24

  it("a stopped bot: the period runs one candle past its last buy, so every live buy is paired with a simulated one", async () => {
    const botId = await botThatBought(start, buys);
    const r = await replayBot(t.db, botId, { demoUrl: demo.url });
    // candles from the first buy's minute to the one after the last buy's (0:00 … 5:00); a signal at each close
    // from 1:00 fills at the next open, so simulated buys at 1:00 … 5:00 (the signal at 6:00 has no next candle)
    expect(r.period).toMatchObject({ from: start, to: start + 6 * minute, comparedUntil: start + 5 * minute, candles: 6 });
    expect(r.simulated.fills).toBe(5);
    expect(r.matched.map((m) => m.simulated.time - start)).toEqual([1, 2, 3, 4, 5].map((m) => m * minute));
    expect(r.totals).toMatchObject({ matched: 5, onlyLive: 0, onlySimulated: 0, later: 0 });
    expect(r.live.fills).toBe(5);
  }, 60_000);

  it("signals while the bot was stopped are named so, not as signals it did not act on while running", async () => {
    // ran 0:00–4:30 buying each minute, stopped, started again at 8:05 and bought at 8:05 and 9:05
    const botId = await botThatBought(start, [...buys, 485_000, 545_000]);
    const status = (at: number, s: string) => t.db.botEvent.create({ data: { botId, kind: "bot.status", message: s, data: JSON.stringify({ status: s }), createdAt: new Date(start + at) } });
    await status(10_000, "running");
    await status(270_000, "stopped");
    await status(485_000 - 1000, "running");
    await status(560_000, "stopped");
    const r = await replayBot(t.db, botId, { demoUrl: demo.url });
    // simulated buys at every minute 1:00 … 10:00 (the period runs a candle past 9:05); each live buy pairs with the nearest
    // (0:20 → 1:00 … 4:24 → 5:00, 8:05 → 8:00, 9:05 → 9:00), which leaves 6:00 and 7:00, in the stop, and 10:00, after the second stop
    expect(r.totals).toMatchObject({ matched: 7, onlyLive: 0, onlySimulated: 3, later: 0 });
    expect(r.onlySimulated.map((s) => [(s.time - start) / minute, s.botWas])).toEqual([[6, "stopped"], [7, "stopped"], [10, "stopped"]]);
    expect(r.matched.map((m) => (m.simulated.time - start) / minute)).toEqual([1, 2, 3, 4, 5, 8, 9]);
  }, 60_000);

  it("signals while no worker ran the bot (its worker killed, taken over minutes later) are named so", async () => {
    // ran from 0:05 buying each minute, its worker died after 4:30 (its last balance snapshot), another took it at 8:04
    const botId = await botThatBought(start, [...buys, 485_000, 545_000]);
    const event = (at: number, kind: string, data: Record<string, unknown>) => t.db.botEvent.create({ data: { botId, kind, message: kind, data: JSON.stringify(data), createdAt: new Date(start + at) } });
    const { keyId } = await t.db.bot.findUniqueOrThrow({ where: { id: botId } });
    const snapshots = (from: number, to: number) => t.db.balanceSnapshot.createMany({ data: Array.from({ length: (to - from) / minute + 1 }, (_, k) => ({ botId, keyId: keyId!, currency: "USDT", free: "1000", used: "0", total: "1000", paper: false, takenAt: new Date(start + from + k * minute) })) });
    await event(5_000, "lease.acquired", { workerId: "a", fencingToken: 1 });
    await event(10_000, "bot.status", { status: "running" });
    await snapshots(30_000, 270_000);
    await event(484_000, "lease.acquired", { workerId: "b", fencingToken: 2 });
    await snapshots(510_000, 570_000);
    await event(560_000, "bot.status", { status: "stopped" });
    const r = await replayBot(t.db, botId, { demoUrl: demo.url });
    // as in the stopped case: 6:00 and 7:00 unpaired, now in the worker's absence (4:30 → 8:04); 10:00 after the stop
    expect(r.onlySimulated.map((s) => [(s.time - start) / minute, s.botWas])).toEqual([[6, "unattended"], [7, "unattended"], [10, "stopped"]]);
    expect(r.matched.map((m) => (m.simulated.time - start) / minute)).toEqual([1, 2, 3, 4, 5, 8, 9]);
  }, 60_000);

  it("a running bot replayed mid-minute: its buys after the last closed candle's open are later, not fills the backtest did not make", async () => {
    const botId = await botThatBought(start, [...buys, 325_000]); // and one more at 5:25
    await t.db.bot.update({ where: { id: botId }, data: { status: "running" } });
    const r = await replayBot(t.db, botId, { demoUrl: demo.url, now: start + 5 * minute + 30_000 });
    // closed candles 0:00 … 4:00; simulated buys at 1:00 … 4:00 pair with the first four live ones
    expect(r.period).toMatchObject({ from: start, to: start + 5 * minute, comparedUntil: start + 4 * minute, candles: 5 });
    expect(r.totals).toMatchObject({ matched: 4, onlyLive: 0, onlySimulated: 0, later: 2 });
    expect(r.later.map((l) => l.time - start)).toEqual([264_000, 325_000]);
    // the fee difference counts only the fills compared: 4 live fees of 0.02 DEMO at price 1 against 4 simulated
    expect(r.live).toEqual({ fills: 4, fees: "0.08000000" });
  }, 60_000);
});
