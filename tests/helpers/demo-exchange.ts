/** A demo exchange on a free loopback port, plus its admin API, for tests and benchmarks. */
import type { Exchange } from "ccxt";
import { buildExchange, type Credentials } from "@/lib/exchange/ccxt-factory";
import { jsonBody } from "@/lib/exchange/demo/admin-client";
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
