/**
 * The one way to build a ccxt instance. `verbose` is never on (it logs
 * headers, including passphrases), markets come from the shared per-process
 * cache, and requests share the per-host rate budget.
 */
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

export function pointAt(ex: Exchange, baseUrl: string): void {
  const base = baseUrl.replace(/\/$/, "");
  const api = ex.urls.api as Record<string, string>;
  for (const k of Object.keys(api)) api[k] = api[k]!.replace(/^https?:\/\/[^/]+/, base);
}

export interface BuildOptions {
  exchange: string;
  credentials?: Credentials;
  demoUrl?: string;
  timeoutMs?: number;
}

/** The ccxt class for a Keyward exchange id ("demo" is binance). */
export function ccxtClass(exchange: string): new (config?: object) => Exchange {
  const id = exchange === demoExchangeId ? "binance" : exchange;
  const Ctor = (ccxt as unknown as Record<string, new (config?: object) => Exchange>)[id];
  if (!Ctor || !(ccxt.exchanges as string[]).includes(id)) throw new UnsupportedExchangeError(`Unsupported exchange "${exchange}": pick one from the list.`);
  return Ctor;
}

export function buildExchange(opts: BuildOptions): Exchange {
  const isDemo = opts.exchange === demoExchangeId;
  const Ctor = ccxtClass(opts.exchange);
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
