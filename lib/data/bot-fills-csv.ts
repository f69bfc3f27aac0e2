/**
 * A bot's fills as a CSV file, oldest first, for a spreadsheet, a tax tool or
 * an accountant: one line per fill with its value in the quote currency
 * (price × amount, in decimal arithmetic), its fee and the fee's currency,
 * live or paper, and the exchange's trade id and Keyward's client order id.
 * Rows are read 1,000 at a time by (executedAt, id), so a bot with a million
 * fills streams without being held in memory.
 */
import "server-only";
import { requireUser } from "../auth/request";
import { db, type Db } from "../db/client";
import { Money } from "../money";
import { downloadName } from "./download-name";

export const fillsCsvColumns = ["time_utc", "symbol", "side", "price", "amount", "quote_amount", "fee", "fee_currency", "mode", "exchange_trade_id", "client_order_id"] as const;

const batch = 1_000;

/**
 * One CSV field: quoted when it holds a comma, a quote or a line break; a text
 * that a spreadsheet would take for a formula (=, +, -, @ first) is prefixed
 * with ' — the exchange names symbols, currencies and trade ids, not Keyward.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

type FillRow = { id: string; executedAt: Date; symbol: string; side: string; price: string; amount: string; fee: string; feeCurrency: string | null; paper: boolean; exchangeTradeId: string; order: { clientOrderId: string } | null };

function line(t: FillRow): string {
  const quoteAmount = new Money(t.price).mul(t.amount).toFixed();
  return [t.executedAt.toISOString(), t.symbol, t.side, t.price, t.amount, quoteAmount, t.fee, t.feeCurrency ?? "", t.paper ? "paper" : "live", t.exchangeTradeId, t.order?.clientOrderId ?? ""].map(csvField).join(",");
}

/** The lines of a bot's fills file, the header first, read from the database as they are pulled. */
export function fillsCsv(database: Db, botId: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after: { executedAt: Date; id: string } | null = null;
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${fillsCsvColumns.join(",")}\r\n`));
    },
    async pull(controller) {
      if (done) return controller.close();
      const rows: FillRow[] = await database.trade.findMany({
        where: { botId, ...(after ? { OR: [{ executedAt: { gt: after.executedAt } }, { executedAt: after.executedAt, id: { gt: after.id } }] } : {}) },
        orderBy: [{ executedAt: "asc" }, { id: "asc" }],
        take: batch,
        select: { id: true, executedAt: true, symbol: true, side: true, price: true, amount: true, fee: true, feeCurrency: true, paper: true, exchangeTradeId: true, order: { select: { clientOrderId: true } } },
      });
      if (rows.length) controller.enqueue(encoder.encode(rows.map((r) => `${line(r)}\r\n`).join("")));
      const last = rows.at(-1);
      if (last) after = { executedAt: last.executedAt, id: last.id };
      if (rows.length < batch) done = true;
    },
  });
}

/** A bot's fills as a download named after the bot and the day; whoever calls it has checked who asks. */
export function fillsCsvResponse(database: Db, bot: { id: string; name: string }): Response {
  const filename = `fills-${downloadName(bot.name)}-${new Date().toISOString().slice(0, 10)}.csv`;
  return new Response(fillsCsv(database, bot.id), { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${filename}"`, "cache-control": "no-store" } });
}

/** The signed-in user's download of a bot's fills, or null when there is no such bot. */
export async function botFillsCsv(botId: string): Promise<Response | null> {
  await requireUser();
  const bot = await db().bot.findFirst({ where: { id: botId, deletedAt: null }, select: { id: true, name: true } });
  return bot && fillsCsvResponse(db(), bot);
}
