/** A bot's fills download: every fill once, oldest first, across the reads of 1,000, with exact decimal values. */
import { describe, expect, it } from "vitest";
import { fillsCsv, fillsCsvColumns } from "@/lib/data/bot-fills-csv";
import { databaseKinds, useTestDatabase } from "../helpers/databases";

describe.each(databaseKinds)("fills CSV on %s", (kind) => {
  const t = useTestDatabase(kind);

  it("streams all 2,500 fills of the bot oldest first, ties on the fill time split across two reads included, and none of another bot's", async () => {
    const bot = (id: string) => ({ id, name: id, exchange: "demo", symbol: "DEMO/USDT", strategy: "grid", maxOrderNotional: "100", maxDailyLoss: "10" });
    await t.db.bot.createMany({ data: [bot("bot-1"), bot("bot-2")] });
    const order = await t.db.order.create({ data: { botId: "bot-1", clientOrderId: "kw0000000100000001", symbol: "DEMO/USDT", side: "buy", type: "limit", price: "0.1", amount: "0.2", fencingToken: 1 } });
    const start = Date.parse("2026-12-01T00:00:00Z");
    // 2,500 fills, inserted newest first; fills 990–1,010 share one time, so the first read of 1,000 ends inside the tie
    const at = (i: number) => new Date(start + (i >= 990 && i <= 1010 ? 990 : i) * 1000);
    const fill = (i: number) => ({ botId: "bot-1", orderId: i === 0 ? order.id : null, exchangeTradeId: `t${String(i).padStart(4, "0")}`, symbol: "DEMO/USDT", side: i % 2 ? "sell" : "buy", price: "0.1", amount: "0.2", fee: "0.0002", feeCurrency: "DEMO", executedAt: at(i), paper: i === 2499 });
    await t.db.trade.createMany({ data: Array.from({ length: 2500 }, (_, k) => fill(2499 - k)) });
    await t.db.trade.create({ data: { ...fill(0), botId: "bot-2", exchangeTradeId: "other-bot" } });

    const text = await new Response(fillsCsv(t.db, "bot-1")).text();
    const lines = text.split("\r\n");
    expect(lines.pop()).toBe(""); // every line ends with CRLF
    expect(lines[0]).toBe(fillsCsvColumns.join(","));
    const rows = lines.slice(1).map((l) => l.split(","));
    expect(rows).toHaveLength(2500);
    const col = (name: (typeof fillsCsvColumns)[number]) => rows.map((r) => r[fillsCsvColumns.indexOf(name)]);
    expect(new Set(col("exchange_trade_id")).size).toBe(2500);
    expect(col("exchange_trade_id")).not.toContain("other-bot");
    const times = col("time_utc").map((s) => Date.parse(s!));
    expect(times.every((ms, i) => i === 0 || ms >= times[i - 1]!)).toBe(true);
    expect(col("time_utc")[0]).toBe("2026-12-01T00:00:00.000Z");
    // 0.1 × 0.2 in decimal, not 0.020000000000000004
    expect(new Set(col("quote_amount"))).toEqual(new Set(["0.02"]));
    expect(rows[0]).toEqual(["2026-12-01T00:00:00.000Z", "DEMO/USDT", "buy", "0.1", "0.2", "0.02", "0.0002", "DEMO", "live", "t0000", "kw0000000100000001"]);
    expect(rows.at(-1)!.slice(8)).toEqual(["paper", "t2499", ""]);
  });

  it("quotes a field with a comma or a quote, and keeps a spreadsheet from taking the exchange's text for a formula", async () => {
    await t.db.bot.create({ data: { id: "bot-3", name: "bot-3", exchange: "demo", symbol: "DEMO/USDT", strategy: "grid", maxOrderNotional: "100", maxDailyLoss: "10" } });
    await t.db.trade.create({ data: { botId: "bot-3", exchangeTradeId: '-1,"x"', symbol: "A,B/USDT", side: "buy", price: "2", amount: "3", feeCurrency: '=HYPERLINK("http://x.test")', executedAt: new Date(0) } });
    const [, line] = (await new Response(fillsCsv(t.db, "bot-3")).text()).split("\r\n");
    expect(line).toBe(`1970-01-01T00:00:00.000Z,"A,B/USDT",buy,2,3,6,0,"'=HYPERLINK(""http://x.test"")",live,"'-1,""x""",`);
  });

  it("gives the header alone for a bot without fills", async () => {
    expect(await new Response(fillsCsv(t.db, "no-such-bot")).text()).toBe(`${fillsCsvColumns.join(",")}\r\n`);
  });
});
