/**
 * `npm run bench -- soak [--minutes 5] [--db sqlite|postgres]`
 *
 * A soak (not a speed figure): four live bots — two market makers, a grid and a DCA, a 1 s tick, each
 * on its own demo account and key — run in one worker's supervisor while the demo exchange answers at
 * random with dropped responses, timeouts, 5xx pages, 429s and latency on the order, open-orders,
 * trades and account requests. Then the faults stop, the bots are stopped with their orders cancelled,
 * and every bot's orders, fills and balances in Keyward are compared with the exchange's. The last line
 * says whether they all agree. The twelfth session's soak of this kind found a bot showing a long-gone
 * error and a DCA losing its buy to a 429.
 */
import { parseArgs } from "node:util";

const { values } = parseArgs({ args: process.argv.slice(3), options: { minutes: { type: "string", default: "5" }, db: { type: "string", default: "sqlite" } } });
process.env.LOG_LEVEL = "silent";

const { createThrowawayDatabase } = await import("@/lib/db/throwaway");
const { applyMigrations } = await import("@/lib/db/migrations");
const { createDb } = await import("@/lib/db/client");
const { startRuntime } = await import("../helpers/in-process-runtime");
const { balancesDisagree, compareWithExchange, demoBot, setDesired, waitUntil } = await import("../helpers/bots");

const minutes = Number(values.minutes);
const tw = await createThrowawayDatabase(values.db === "postgres" ? "postgres" : "sqlite");
await applyMigrations(tw.url);
const db = createDb(tw.url);
const runtime = await startRuntime(db, "soak");
const demo = runtime.demo;

const balances = { USDT: "2000", DEMO: "300", BTC: "0.01" };
const bots = [
  { symbol: "DEMO/USDT", bot: await demoBot(db, demo, { strategy: "market-maker", params: { spreadPct: "0.1", orderQuote: "20" }, balances, maxOpenOrders: 8 }) },
  { symbol: "BTC/USDT", bot: await demoBot(db, demo, { strategy: "market-maker", symbol: "BTC/USDT", params: { spreadPct: "0.05", orderQuote: "20" }, balances, maxOpenOrders: 8 }) },
  { symbol: "DEMO/USDT", bot: await demoBot(db, demo, { strategy: "grid", params: { lower: "0.5", upper: "3", levels: 41, orderQuote: "20" }, balances, maxOpenOrders: 8 }) },
  { symbol: "DEMO/USDT", bot: await demoBot(db, demo, { strategy: "dca", params: { quoteAmount: "15", intervalMinutes: 1 }, balances }) },
];
for (const { bot } of bots) await setDesired(db, bot.botId, "running");

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
const kinds = ["dropResponse", "dropResponse", "timeout", "error5xx", "rateLimit", "latency"] as const;
const paths = ["/api/v3/order", "/api/v3/order", "/api/v3/openOrders", "/api/v3/myTrades", "/api/v3/account", "/api/v3/allOrders", undefined];
const end = Date.now() + minutes * 60_000;
let faults = 0;
while (Date.now() < end) {
  const kind = pick(kinds);
  const where = pick(paths);
  await demo.admin("POST", "/_demo/faults", { kind, durationMs: 1000 + Math.floor(Math.random() * 6000), ...(where ? { path: where } : {}), ...(kind === "latency" ? { ms: 500 + Math.floor(Math.random() * 3000) } : {}) });
  faults++;
  await new Promise((r) => setTimeout(r, 3000 + Math.random() * 5000));
}
await demo.admin("DELETE", "/_demo/faults");
await new Promise((r) => setTimeout(r, 45_000)); // unknown outcomes are looked up, backoffs end
for (const { bot } of bots) await setDesired(db, bot.botId, "stopped");
for (const { bot } of bots) await waitUntil("stopped", async () => (await db.bot.findUniqueOrThrow({ where: { id: bot.botId } })).status === "stopped", 120_000);

let bad = 0;
let orders = 0;
for (const { symbol, bot } of bots) {
  const c = await compareWithExchange(db, bot.botId, bot.client, symbol);
  const disagree = await balancesDisagree(db, bot.botId, bot.client);
  const row = await db.bot.findUniqueOrThrow({ where: { id: bot.botId } });
  const problems = [...c.missing, ...c.extra, ...c.mismatched, ...c.tradesMissing, ...c.tradesExtra, ...disagree, ...(c.pending || c.open ? [`${c.pending} pending, ${c.open} open`] : []), ...(row.lastError ? [`last error: ${row.lastError}`] : [])];
  bad += problems.length;
  orders += c.exchangeOrders;
  console.log(`${row.strategy} ${symbol}: ${c.exchangeOrders} orders at the exchange, ${c.rows} rows${problems.length ? `; ${problems.join("; ")}` : ""}`);
}
await runtime.stop();
await db.$disconnect();
await tw.drop();
console.log(`soak: ${bots.length} live bots, ${minutes} min, ${faults} faults, ${orders} orders — ${bad === 0 ? "Keyward and the exchange agree on every order, fill and balance" : `${bad} disagreement(s)`}`);
process.exit(bad === 0 ? 0 : 1);
