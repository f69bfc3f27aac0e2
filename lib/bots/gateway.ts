/**
 * What a runner needs of an exchange, and the live implementation: one ccxt
 * instance per key (shared markets and rate budget, see lib/exchange/open.ts)
 * whose transport refuses to send anything once the bot's lease is no longer
 * held (LeaseHold). The paper implementation is paper-gateway.ts.
 *
 * Outcomes are the exchange's own: an order answer, `null` for "no such
 * order", "not-open" for a cancel of an order that is no longer open; every
 * other failure is a ccxt error for the caller to classify.
 */
import ccxt, { type Exchange } from "ccxt";
import type { Credentials } from "../exchange/ccxt-factory";
import { openExchange } from "../exchange/open";
import { clientOrderIdParams } from "./client-order-id";
import { num, toOrder, toTrade, type ExchangeOrder, type ExchangeTrade } from "../exchange/exchange-values";
import type * as Undici from "undici";
import { FencingError, type LeaseHold } from "./lease-hold";

export interface OrderRef {
  clientOrderId: string;
  exchangeOrderId: string | null;
  symbol: string;
}

export interface PlaceRequest {
  symbol: string;
  side: "buy" | "sell";
  type: "market" | "limit";
  amount: string;
  price: string | null;
  clientOrderId: string;
}

export type Balances = Record<string, { free: string; used: string; total: string }>;

/** Pushed order changes and fills (the exchange's user-data stream). */
export interface StreamHandlers {
  orders(orders: ExchangeOrder[]): void;
  trades(trades: ExchangeTrade[]): void;
  /** the stream failed and is retrying (network trouble, the exchange refusing) */
  error(err: unknown): void;
  /** the stream (re)opened: anything missed meanwhile must be fetched */
  opened(): void;
}

export interface Gateway {
  readonly paper: boolean;
  /** Starts the stream of the bot's order changes and fills, where the exchange has one. Returns its stop, or null. */
  stream?(symbol: string, handlers: StreamHandlers): (() => Promise<void>) | null;
  place(req: PlaceRequest): Promise<ExchangeOrder>;
  cancel(ref: OrderRef): Promise<ExchangeOrder | "not-open">;
  lookup(ref: OrderRef): Promise<ExchangeOrder | null>;
  openOrders(symbol: string): Promise<ExchangeOrder[]>;
  tradesSince(symbol: string, since: number): Promise<ExchangeTrade[]>;
  balances(): Promise<Balances>;
}

/**
 * Makes every HTTP request of `ex` check the lease hold at the moment it would leave. ccxt's `fetch`
 * checks first (a refused request costs nothing), but between that and the socket there are awaits
 * and, for a new connection, a TCP connect: a process frozen there (SIGSTOP, a suspended VM) would
 * send the request on waking, unchecked. So the check is repeated in undici itself, where a request
 * is written synchronously: when it is dispatched to an idle kept-alive socket, and when a new socket
 * is handed over to the requests waiting for it. What is left is the synchronous write itself.
 */
export async function fenceTransport(ex: Exchange, hold: LeaseHold): Promise<void> {
  const send = ex.fetch.bind(ex);
  ex.fetch = ((...args: Parameters<Exchange["fetch"]>) => {
    hold.assertHeld();
    return send(...args);
  }) as Exchange["fetch"];
  const inner = ex as unknown as CcxtUndici;
  await inner.loadFetchImplementation();
  const undici = inner.undiciModule;
  if (!undici) throw new Error("ccxt is not using undici here: the exchange requests could not be fenced at the socket");
  const options = inner.getDispatcherOptions(true);
  const connect = undici.buildConnector(options.connect ?? {});
  const fenced = new undici.Agent({
    ...options,
    connect: (opts, done) =>
      connect(opts, (err, socket) => {
        if (err) return done(err, null);
        if (hold.held()) return done(null, socket);
        socket.destroy();
        done(new FencingError(`the lease on bot ${hold.lease.botId} was lost while connecting; nothing was sent`), null);
      }),
  }).compose((dispatch) => (opts, handler) => {
    hold.assertHeld();
    return dispatch(opts, handler);
  });
  const previous = inner.fetchDispatcher;
  inner.fetchDispatcher = fenced;
  await previous?.close();
}

/** What of ccxt's transport (lib/base/Exchange.js) the fence replaces: its undici dispatcher. */
interface CcxtUndici {
  loadFetchImplementation(): Promise<void>;
  undiciModule?: typeof Undici;
  fetchDispatcher?: Undici.Dispatcher;
  getDispatcherOptions(plainAgent: boolean): Undici.Agent.Options & { connect?: Undici.buildConnector.BuildOptions };
}

export class LiveGateway implements Gateway {
  readonly paper = false;

  constructor(
    private readonly ex: Exchange,
    private readonly exchange: string,
    private readonly hold?: LeaseHold,
  ) {}

  /** One ccxt.pro instance for the key (REST and its user-data stream), its requests fenced by the lease hold. */
  static async open(opts: { exchange: string; credentials: Credentials; demoUrl: string | undefined; hold: LeaseHold; timeoutMs?: number }): Promise<LiveGateway> {
    const ex = await openExchange({ exchange: opts.exchange, credentials: opts.credentials, demoUrl: opts.demoUrl, timeoutMs: opts.timeoutMs ?? 10_000, pro: true });
    await fenceTransport(ex, opts.hold);
    (ex.options as Record<string, unknown>).warnOnFetchOpenOrdersWithoutSymbol = false;
    return new LiveGateway(ex, opts.exchange, opts.hold);
  }

  /**
   * ccxt.pro's watchOrders and watchMyTrades for the symbol, one stream per
   * key; each loop retries with backoff after an error, and calls `opened`
   * when it works again so the caller can fetch what it missed.
   */
  stream(symbol: string, h: StreamHandlers): (() => Promise<void>) | null {
    if (!this.ex.has.watchOrders || !this.ex.has.watchMyTrades) return null;
    let closed = false;
    const loop = async (watch: () => Promise<void>) => {
      let failedBefore = true; // the first success counts as an opening
      let delay = 1000;
      while (!closed) {
        try {
          this.hold?.assertHeld(); // no subscription under a lease we no longer hold
          const pending = watch();
          if (failedBefore) {
            failedBefore = false;
            h.opened();
          }
          await pending;
          delay = 1000;
        } catch (err) {
          if (closed) return;
          failedBefore = true;
          h.error(err);
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, 30_000);
        }
      }
    };
    void loop(async () => h.orders((await this.ex.watchOrders(symbol)).map(toOrder)));
    void loop(async () => h.trades((await this.ex.watchMyTrades(symbol)).map(toTrade)));
    return async () => {
      closed = true;
      await this.ex.close().catch(() => undefined);
    };
  }

  async place(r: PlaceRequest): Promise<ExchangeOrder> {
    const o = await this.ex.createOrder(r.symbol, r.type, r.side, Number(r.amount), r.price === null ? undefined : Number(r.price), clientOrderIdParams(this.exchange, r.clientOrderId));
    return { ...toOrder(o), clientOrderId: o.clientOrderId ?? r.clientOrderId, amount: num(o.amount) ?? r.amount };
  }

  async cancel(ref: OrderRef): Promise<ExchangeOrder | "not-open"> {
    try {
      const o = await this.ex.cancelOrder(ref.exchangeOrderId ?? (undefined as unknown as string), ref.symbol, ref.exchangeOrderId ? {} : clientOrderIdParams(this.exchange, ref.clientOrderId));
      return toOrder(o);
    } catch (err) {
      if (err instanceof ccxt.OrderNotFound) return "not-open";
      throw err;
    }
  }

  async lookup(ref: OrderRef): Promise<ExchangeOrder | null> {
    try {
      const o = ref.exchangeOrderId ? await this.ex.fetchOrder(ref.exchangeOrderId, ref.symbol) : await this.ex.fetchOrder(undefined as unknown as string, ref.symbol, clientOrderIdParams(this.exchange, ref.clientOrderId));
      return toOrder(o);
    } catch (err) {
      if (err instanceof ccxt.OrderNotFound) return null;
      throw err;
    }
  }

  async openOrders(symbol: string): Promise<ExchangeOrder[]> {
    return (await this.ex.fetchOpenOrders(symbol)).map(toOrder);
  }

  async tradesSince(symbol: string, since: number): Promise<ExchangeTrade[]> {
    return (await this.ex.fetchMyTrades(symbol, since, 1000)).map(toTrade);
  }

  async balances(): Promise<Balances> {
    const b = (await this.ex.fetchBalance()) as unknown as { free: Record<string, number>; used: Record<string, number>; total: Record<string, number> };
    return Object.fromEntries(Object.keys(b.total ?? {}).map((c) => [c, { free: num(b.free[c]) ?? "0", used: num(b.used[c]) ?? "0", total: num(b.total[c]) ?? "0" }]));
  }
}
