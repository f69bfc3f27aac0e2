/** A demo exchange on a free loopback port, plus its admin API, for tests and benchmarks. */
import type { Exchange } from "ccxt";
import { buildExchange, type Credentials } from "@/lib/exchange/ccxt-factory";
import { jsonBody } from "@/lib/exchange/demo/admin-client";
import type { Decimal } from "decimal.js";
import { bySymbolId } from "@/lib/exchange/demo/markets";
import { priceAt, rangeAt } from "@/lib/exchange/demo/price-path";
import { DemoExchange } from "@/lib/exchange/demo/server";

export interface RunningDemo {
  demo: DemoExchange;
  url: string;
  admin<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  account(balances: Record<string, string>): Promise<number>;
  key(accountId: number, permissions: { read?: boolean; trade?: boolean; withdraw?: boolean; transfer?: boolean }, ip?: { ipRestrict: boolean; ips: string[] }): Promise<Credentials>;
  client(credentials?: Credentials, timeoutMs?: number): Exchange;
  close(): Promise<void>;
}

export async function startDemo(file = ":memory:", extraSymbols = 0): Promise<RunningDemo> {
  const demo = new DemoExchange({ file, extraSymbols });
  const port = await demo.listen();
  const url = `http://127.0.0.1:${port}`;
  const admin = async <T,>(method: string, path: string, body?: unknown) => {
    const res = await fetch(url + path, { method, ...jsonBody(body) });
    const json = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    demo,
    url,
    admin,
    account: async (balances) => (await admin<{ accountId: number }>("POST", "/_demo/accounts", { balances })).accountId,
    key: (accountId, permissions, ip) => admin<Credentials>("POST", "/_demo/keys", { accountId, permissions, ...(ip ?? {}) }),
    client: (credentials, timeoutMs) => buildExchange({ exchange: "demo", credentials, demoUrl: url, timeoutMs }),
    close: () => demo.close(),
  };
}

/**
 * Pauses the demo's market time at the first moment (from now, in 3-hour steps) from which the price
 * path of `symbolId` falls at least `dip` (a fraction) within `withinMs`, and returns that low: a limit
 * buy a little above it rests, and the matching engine fills it once the clock moves `withinMs` on
 * (it looks at the path's whole range since it last looked, sampled as here). The path has waves of
 * days, so a fixed fraction under the market would fill or not depending on the date.
 */
export async function pauseBeforeADip(d: RunningDemo, symbolId: string, dip: number, withinMs: number): Promise<Decimal> {
  const spec = bySymbolId.get(symbolId)!;
  const seed = d.demo.store.seed();
  const paused = (await d.admin<{ marketTime: number }>("POST", "/_demo/clock", { pause: true })).marketTime;
  const lowAhead = (t: number) => rangeAt(spec, seed, t, t + withinMs).low;
  let at = paused;
  let low = lowAhead(at);
  while (low.gte(priceAt(spec, seed, at).mul(1 - dip))) {
    at += 3 * 3_600_000;
    if (at > paused + 30 * 86_400_000) throw new Error(`the demo's ${symbolId} never falls ${dip * 100} % within ${withinMs} ms`);
    low = lowAhead(at);
  }
  await d.admin("POST", "/_demo/clock", { advanceMs: at - paused });
  return low;
}

/**
 * Pauses the demo's market time at the first moment (from now, in 10-minute steps) from which the price
 * path of `symbolId` rises by `rise` (a fraction) within 6 hours without first falling by `fall`, and
 * returns how far to move the clock for the rise: a resting buy `fall` under the price at the pause
 * neither fills on the way nor at the end.
 */
export async function pauseBeforeARise(d: RunningDemo, symbolId: string, rise: number, fall: number): Promise<number> {
  const spec = bySymbolId.get(symbolId)!;
  const seed = d.demo.store.seed();
  const paused = (await d.admin<{ marketTime: number }>("POST", "/_demo/clock", { pause: true })).marketTime;
  for (let at = paused; at < paused + 30 * 86_400_000; at += 600_000) {
    const p0 = priceAt(spec, seed, at);
    for (let t = at + 60_000; t <= at + 6 * 3_600_000; t += 60_000) {
      if (rangeAt(spec, seed, t - 60_000, t).low.lte(p0.mul(1 - fall))) break;
      if (priceAt(spec, seed, t).gte(p0.mul(1 + rise))) {
        await d.admin("POST", "/_demo/clock", { advanceMs: at - paused });
        return t - at;
      }
    }
  }
  throw new Error(`the demo's ${symbolId} never rises ${rise * 100} % before falling ${fall * 100} %`);
}
