/**
 * The one way to build a ccxt instance. `verbose` is never on (it logs
 * headers, including passphrases), markets come from the shared per-process
 * cache, and requests share the per-host rate budget.
 */
import http from "node:http";
import ccxt, { type Exchange } from "ccxt";
import { env } from "../env";

export interface Credentials {
  apiKey: string;
  secret: string;
  password?: string;
}

/** A request for an exchange Keyward cannot build (unknown id, or the demo exchange is off). Its message is safe to show. */
export class UnsupportedExchangeError extends Error {
  override name = "UnsupportedExchangeError";
}

/** The demo exchange is ccxt's binance class with every API URL pointed at it. */
export const demoExchangeId = "demo";

/** Points every REST and WebSocket URL of `ex` (nested ones too) at a local server: https→http, wss→ws. */
export function pointAt(ex: Exchange, baseUrl: string): void {
  const base = baseUrl.replace(/\/$/, "");
  const wsBase = base.replace(/^http/, "ws");
  const rewrite = (urls: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(urls)) {
      if (typeof v === "string") urls[k] = v.replace(/^https?:\/\/[^/]+/, base).replace(/^wss?:\/\/[^/]+/, wsBase);
      else if (v && typeof v === "object") rewrite(v as Record<string, unknown>);
    }
  };
  rewrite(ex.urls.api as Record<string, unknown>);
  // ccxt wants an agent of its own for plain http:// and ws:// (the demo exchange on loopback); kept alive
  (ex as unknown as { httpAgent?: http.Agent }).httpAgent ??= sharedHttpAgent;
}

const sharedHttpAgent = new http.Agent({ keepAlive: true });

export interface BuildOptions {
  exchange: string;
  credentials?: Credentials;
  demoUrl?: string;
  timeoutMs?: number;
  /** the ccxt.pro class (REST and WebSocket streams) */
  pro?: boolean;
}

type Ctor = new (config?: object) => Exchange;

/** The ccxt class for a Keyward exchange id ("demo" is binance); with `pro`, its ccxt.pro class when it has one. */
export function ccxtClass(exchange: string, pro = false): Ctor {
  const id = exchange === demoExchangeId ? "binance" : exchange;
  const Rest = (ccxt as unknown as Record<string, Ctor>)[id];
  if (!Rest || !(ccxt.exchanges as string[]).includes(id)) throw new UnsupportedExchangeError(`Unsupported exchange "${exchange}": use demo or a ccxt exchange id, e.g. binance, kraken or okx.`);
  return (pro && (ccxt.pro as unknown as Record<string, Ctor>)[id]) || Rest;
}

export function buildExchange(opts: BuildOptions): Exchange {
  const isDemo = opts.exchange === demoExchangeId;
  const Ctor = ccxtClass(opts.exchange, opts.pro);
  // The demo exchange advertises 6,000 request weight a minute (Binance's current limit); ccxt's binance
  // class assumes the old 1,200. Real exchanges keep ccxt's own figures.
  const demoRate = isDemo ? env().DEMO_EXCHANGE_RATE_LIMIT_MS : undefined;
  const ex = new Ctor({
    apiKey: opts.credentials?.apiKey,
    secret: opts.credentials?.secret,
    password: opts.credentials?.password,
    enableRateLimit: demoRate !== 0,
    ...(demoRate ? { rateLimit: demoRate } : {}),
    timeout: opts.timeoutMs ?? 10_000,
    verbose: false,
    options: isDemo ? { fetchMarkets: { types: ["spot"] }, fetchCurrencies: false, fetchMargins: false, defaultType: "spot" } : {},
  });
  if (isDemo) {
    if (!opts.demoUrl) throw new UnsupportedExchangeError("The demo exchange is off (DEMO_EXCHANGE=off) and DEMO_EXCHANGE_URL is not set.");
    pointAt(ex, opts.demoUrl);
  }
  return ex;
}
