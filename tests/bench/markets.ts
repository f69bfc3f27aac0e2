/**
 * Memory and time per ccxt instance on one exchange with Binance-sized
 * markets (~2,000 symbols), three ways, in one run against the demo exchange:
 *   naive   each instance calls loadMarkets()          (one exchangeInfo each)
 *   copy    each instance gets setMarkets(first.markets) (rebuilds indexes)
 *   shared  openExchange(): markets shared by reference (lib/exchange/market-cache.ts)
 * Target (issue 4): shared ≤ 0.6 MB and ≤ 15 ms per additional instance, 1 exchangeInfo request.
 * Options: --instances N (default 200; naive and copy use N/10 to bound memory).
 */
import { parseArgs } from "node:util";
import type { Exchange } from "ccxt";
import { buildExchange } from "@/lib/exchange/ccxt-factory";
import { clearMarketCache } from "@/lib/exchange/market-cache";
import { openExchange } from "@/lib/exchange/open";
import { startDemo } from "../helpers/demo-exchange";

const { values } = parseArgs({ args: process.argv.slice(3), options: { instances: { type: "string", default: "200" } } });
const n = Number(values.instances);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run through `npm run bench -- markets` (needs node --expose-gc)");
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const demo = await startDemo(":memory:", 1996);
let exchangeInfo = 0;
demo.demo.onRequest = (p) => p === "/api/v3/exchangeInfo" && exchangeInfo++;
const account = await demo.account({ USDT: "100000" });
const creds = await Promise.all(Array.from({ length: n }, () => demo.key(account, { read: true, trade: true })));

interface Result {
  name: string;
  instances: number;
  requests: number;
  mbPer: number;
  msPer: number;
}

async function measure(name: string, count: number, make: (i: number) => Promise<Exchange>): Promise<{ r: Result; keep: Exchange[] }> {
  const keep: Exchange[] = [await make(0)]; // the first instance pays the one-time cost; not counted
  exchangeInfo = 0;
  const h0 = heap();
  const t0 = performance.now();
  for (let i = 1; i < count; i++) keep.push(await make(i));
  const ms = performance.now() - t0;
  const bytes = heap() - h0;
  return { r: { name, instances: count, requests: exchangeInfo, mbPer: bytes / (count - 1) / 1e6, msPer: ms / (count - 1) }, keep };
}

const build = (i: number) => buildExchange({ exchange: "demo", credentials: creds[i]!, demoUrl: demo.url });
const small = Math.max(5, Math.round(n / 10));

const naive = await measure("naive loadMarkets", small, async (i) => {
  const ex = build(i);
  await ex.loadMarkets();
  return ex;
});
naive.keep.length = 0;
const first = build(0);
await first.loadMarkets();
const copy = await measure("setMarkets(first.markets)", small, async (i) => {
  const ex = build(i);
  ex.setMarkets(first.markets);
  return ex;
});
copy.keep.length = 0;
clearMarketCache();
exchangeInfo = 0;
const shared = await measure("shared (openExchange)", n, (i) => openExchange({ exchange: "demo", credentials: creds[i]!, demoUrl: demo.url }));
const sharedRequests = exchangeInfo + 1; // + the first instance's load

// Every shared instance can still trade any symbol: spot-check a spread of them.
const symbols = shared.keep[0]!.symbols;
for (let i = 0; i < shared.keep.length; i += Math.ceil(shared.keep.length / 8)) {
  const ex = shared.keep[i]!;
  const symbol = symbols[(i * 37) % symbols.length]!;
  const market = ex.market(symbol);
  const price = (await ex.fetchTicker(symbol)).last!;
  await ex.createOrder(symbol, "limit", "buy", Number(ex.amountToPrecision(symbol, Math.max(market.limits.amount?.min ?? 0.01, 20 / price))), Number(ex.priceToPrecision(symbol, price * 0.9)));
}

console.log(`markets on the exchange: ${symbols.length}`);
for (const r of [naive.r, copy.r, shared.r]) {
  console.log(`${r.name.padEnd(28)} ${String(r.instances).padStart(4)} instances  exchangeInfo requests after the first: ${String(r.requests).padStart(4)}  heap/instance ${r.mbPer.toFixed(2)} MB  time/instance ${r.msPer.toFixed(1)} ms`);
}
const pass = sharedRequests === 1 && shared.r.mbPer <= 0.6 && shared.r.msPer <= 15;
console.log(
  `markets: ${n} shared instances → ${sharedRequests} exchangeInfo request(s), ${shared.r.mbPer.toFixed(2)} MB and ${shared.r.msPer.toFixed(1)} ms per extra instance (naive ${naive.r.mbPer.toFixed(1)} MB / ${naive.r.msPer.toFixed(0)} ms, setMarkets ${copy.r.mbPer.toFixed(1)} MB / ${copy.r.msPer.toFixed(0)} ms) — target ≤ 0.6 MB, ≤ 15 ms, 1 request: ${pass ? "PASS" : "FAIL"}`,
);
await demo.close();
