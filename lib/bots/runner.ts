/**
 * One bot's runner, inside a worker. It exists while its worker holds the
 * bot's lease (the supervisor creates it and renews the lease).
 *
 * Start: the exchange is the truth. Live bots re-check the key's scopes first
 * (a key that can now withdraw, or that the exchange rejects, keeps the bot
 * from starting); then every pending and open order is looked up, orders on
 * the key the bot did not place are reported, missing fills are fetched and
 * balances snapshotted. A runner whose reconciliation fails does not trade: it
 * ends with the reason, and the supervisor tries again later.
 *
 * Each tick, in this order: market data (shared) and the bot's orders and
 * fills → strategy (running only) → risk limits → order manager → persist.
 * Paused: orders and fills are followed, the strategy does not run. Stopping:
 * open orders are cancelled (unless the user asked not to), the last fills
 * recorded, and the lease released.
 *
 * Errors, by ccxt class: network trouble and rate limits back off (1 s doubling
 * to 30 s, with jitter) and the bot carries on, saying so when it reaches the exchange again; an authentication or
 * permission error stops the bot and marks the key rejected; an order the
 * exchange refuses is recorded, and the bot places nothing for a minute
 * instead of looping. A strategy that throws three ticks running puts the bot
 * in error. A lost lease ends the runner at once, writing nothing.
 */
import type { Db } from "../db/client";
import { loadCredentials } from "../exchange/credentials";
import { classifyError, refusedForFunds, safeErrorMessage } from "../exchange/errors";
import type { Logger } from "../log";
import { Money, str } from "../money";
import { strategies } from "../strategies/registry";
import { noMarketRules } from "../strategies/market";
import { intentSchema, type Intent, type Strategy, type StrategyContext } from "../strategies/types";
import type { Keyring } from "../vault/open";
import { EventBuffer } from "./events";
import { LiveGateway, type Gateway } from "./gateway";
import { FencingError, type LeaseHold } from "./lease-hold";
import { Mutex } from "../mutex";
import { channels, notify } from "../db/notify";
import type { MarketData, Ticker } from "../exchange/market-data";
import { OrderManager, type OrderRow } from "./order-manager";
import { PaperGateway } from "./paper-gateway";
import { FillBook, positionTrades } from "./positions";
import { belowMinimum, marketRules, marketView, roundAmount, roundPrice, type MarketRules } from "./precision";
import { recheckKey } from "./recheck-key";
import { checkOrder, dailyLossReached, riskLimitsOf, type RiskLimits } from "./risk";

export interface RunnerContext {
  db: Db;
  log: Logger;
  workerId: string;
  demoUrl: string | undefined;
  keyring: () => Keyring;
  market: MarketData;
  /** wall clock, ms (tests inject one) */
  clock?: () => number;
  /** how long after sending an order the exchange may still accept it */
  acceptWindowMs?: number;
  /** ticks failing in a row this long make a stall (default 5 minutes; tests shorten it) */
  stalledAfterMs?: number;
  /** after the exchange rejects an order, nothing is placed for this long (default a minute; tests shorten it) */
  rejectionCooldownMs?: number;
  /** called after every tick: when it was due, when it started and ended (ms, wall clock) — benchmarks and metrics */
  onTick?: (botId: string, dueAt: number, startedAt: number, endedAt: number) => void;
}

/** The Bot row fields a runner reads. */
export interface BotRow {
  id: string;
  name: string;
  keyId: string | null;
  exchange: string;
  symbol: string;
  strategy: string;
  params: string;
  mode: string;
  desiredState: string;
  stopCancelsOrders: boolean;
  cancelPending: boolean;
  cancelAsks: number;
  status: string;
  statusMessage: string | null;
  tickSeconds: number;
  allowedSymbols: string;
  maxOrderNotional: string;
  maxOpenOrders: number;
  maxDailyLoss: string;
  maxPosition: string | null;
  killSwitch: boolean;
  strategyState: string;
  /** the last tick whose answer was lost, as the runner before this one left it (Bot.undecidedTick) */
  undecidedTick: string | null;
  /** alert streaks under way, as the runner before this one left them (Bot.alertStreaks) */
  alertStreaks: string | null;
  paperBalances: string;
  paperStartQuote: string;
  /** the position counts the fills of orders placed from then on (set when the symbol or mode changed) */
  positionSince: Date | null;
  createdAt: Date;
}

/** Streaks whose first event was an alert (bot.unfunded per side, bot.rejected), kept in the bot row across restarts. */
interface AlertStreaks {
  unfunded: string[];
  rejecting: boolean;
}

/** A tick whose one order request's answer was lost: its order, and the strategy's state before it and as it wrote it (JSON). */
interface Undecided {
  clientOrderId: string;
  before: Record<string, unknown>;
  after: string;
}

export type RunnerPhase = "starting" | "running" | "paused" | "stopping" | "ended";

/** How a runner ended: `retry` asks the supervisor to start it again after a backoff. */
export interface RunnerEnd {
  retry: boolean;
  leaseLost: boolean;
}

/**
 * What became of one order the strategy asked for: sent; or refused (for want of funds: short) and the next one tried; or
 * nothing more placed this tick: stop, held (the cooldown after the exchange rejected an order), unfunded (the exchange
 * rejected it for want of funds), or its answer was lost (the client order id is looked up).
 */
type Placement = "placed" | "refused" | "short" | "stop" | "held" | "unfunded" | { unknown: string };
/** A tick whose every order ended so, having cancelled nothing, leaves the strategy as it was: asked again at the next tick. */
const notTaken: ReadonlySet<Placement> = new Set(["short", "held", "unfunded"]);

const balanceEveryMs = 60_000;
/** balances older than this are read again before an order is refused for want of funds */
const freshBalancesMs = 10_000;
const pnlPointEveryMs = 5 * 60_000;
/** with a working user-data stream, the open orders are still read over REST this often (a cross-check) */
const crossCheckEveryMs = 30_000;
const rejectionCooldownMs = 60_000;
const stopTimeoutMs = 60_000;
const maxBackoffMs = 30_000;
const startFailed = "Reconciliation with the exchange failed";
/** ticks failing in a row this long: the bot.stalled event (an alert), and another when it recovers */
const stalledAfterMs = 5 * 60_000;

export class Runner {
  phase: RunnerPhase = "starting";
  /** when the next tick is due (the supervisor's scheduler reads it) */
  nextTickAt = 0;
  private bot: BotRow;
  private gateway!: Gateway;
  private om!: OrderManager;
  private readonly book: FillBook;
  private readonly base: string;
  private readonly quote: string;
  private readonly strategy: Strategy | undefined;
  private rules: MarketRules | null = null;
  private state: Record<string, unknown>;
  private savedState: string;
  private strategyFailures = 0;
  private tickFailures = 0;
  /** when the first of the failed ticks in a row failed, and whether it has gone on long enough to be a stall (an alert) */
  private failingSince = 0;
  private stalled = false;
  private backoffMs = 0;
  private lastBalanceAt = 0;
  private freeBalances: Record<string, string> = {};
  private lastBalances = "";
  private lastBalanceRows = "";
  private lastBalanceRowsAt = 0;
  private cooldownUntil = 0;
  private firstPriceOfDay: { day: number; price: string } | null = null;
  private lastKeyRecheckAt = 0;
  private lastPnlAt = 0;
  /** fills recorded since the balances and PnL summary were last written */
  private unshownFills = false;
  private lastPnlPointAt = 0;
  private stoppingSince = 0;
  /** why the bot stops when it was not the user's stop (a risk stop), shown once stopped */
  private stopReason: string | null = null;
  private readonly refusalLoggedAt = new Map<string, number>();
  /** sides whose orders were refused for want of funds, with an event, since the last order of that side went out: the first such event is an alert */
  private readonly unfundedSides: Set<string>;
  /** the alert streaks as last written to the bot row (JSON) */
  private savedStreaks: string;
  private lastErrorWritten = { message: "", at: 0 };
  /** this start retries one whose reconciliation failed */
  private restarting = false;
  /** an order request is out (place() awaits the order manager) */
  private requestOut = false;
  /** the tick whose one request's answer was lost: the strategy's state before and after it, until the lookups tell whether the order was placed (kept in the bot row too, for the runner after a restart) */
  private undecided: Undecided | null = null;
  private ticking: Promise<void> | null = null;
  /** a wake came while a tick was in flight */
  private tickAgain = false;
  private readonly events = new EventBuffer();
  /** ticks and stream updates run one at a time */
  private readonly mutex = new Mutex();
  private stopStream: (() => Promise<void>) | null = null;
  private streamHealthy = false;
  private lastSyncAt = 0;
  private lastTicker: Ticker | null = null;
  private ticks = 0;
  private patch: { pnl?: string; pnlAt?: Date; paperBalances?: string; market?: string; balances?: string; balancesAt?: Date; alertStreaks?: string } = {};
  /** a PnL point for the equity curve, written with the patch */
  private pnlPoint: { at: Date; totalPnl: string; realizedPnl: string; position: string; price: string } | null = null;
  /** balance rows taken since the last patch, written with it */
  private balanceRows: { keyId: string; currency: string; free: string; used: string; total: string; takenAt: Date }[] = [];
  /** users asked to cancel orders (Bot.cancelAsks moved, or the runner just started): look them up next tick */
  private userCancelsDue = true;
  private starting: Promise<void> | null = null;
  private endResolve!: (e: RunnerEnd) => void;
  /** resolves once, when the runner has ended */
  readonly ended: Promise<RunnerEnd>;

  constructor(
    private readonly ctx: RunnerContext,
    bot: BotRow,
    readonly hold: LeaseHold,
  ) {
    this.bot = bot;
    [this.base, this.quote] = bot.symbol.split("/") as [string, string];
    this.book = new FillBook(this.base, this.quote);
    this.strategy = strategies[bot.strategy];
    this.state = JSON.parse(bot.strategyState || "{}") as Record<string, unknown>;
    this.savedState = JSON.stringify(this.state);
    this.undecided = bot.undecidedTick ? (JSON.parse(bot.undecidedTick) as Undecided) : null;
    this.savedStreaks = bot.alertStreaks ?? JSON.stringify({ unfunded: [], rejecting: false } satisfies AlertStreaks);
    this.unfundedSides = new Set((JSON.parse(this.savedStreaks) as AlertStreaks).unfunded);
    this.ended = new Promise((r) => (this.endResolve = r));
  }

  get botId(): string {
    return this.bot.id;
  }

  private now(): number {
    return (this.ctx.clock ?? Date.now)();
  }

  private get limits(): RiskLimits {
    return riskLimitsOf(this.bot);
  }

  private end(e: RunnerEnd): void {
    if (this.phase === "ended") return;
    this.phase = "ended";
    void this.stopStream?.();
    this.endResolve(e);
  }

  // ---- status and events ------------------------------------------------------------------

  /** Writes the events gathered so far, while the lease is held. */
  private async flushEvents(): Promise<void> {
    if (!this.events.size) return;
    try {
      await this.events.flush(this.ctx.db, this.hold);
      await notify(this.ctx.db, channels.events); // live pages and scripts (PostgreSQL; SQLite readers poll)
    } catch (err) {
      if (err instanceof FencingError) return; // another worker has the bot: the runner ends at its next step
      this.ctx.log.warn({ botId: this.bot.id, err: safeErrorMessage(err) }, "could not write bot events");
    }
  }

  private async setStatus(status: string, message: string | null, extra: Record<string, unknown> = {}, data: Record<string, unknown> = {}): Promise<void> {
    await this.writeBot({ status, statusMessage: message, statusSince: new Date(this.now()), workerId: this.ctx.workerId, ...extra });
    this.events.push({ botId: this.bot.id, level: status === "error" ? "error" : "info", kind: "bot.status", message: `${this.bot.name}: ${status}${message ? ` — ${message}` : ""}`, data: { status, workerId: this.ctx.workerId, ...data } });
  }

  /** Ends the bot in error (it stays stopped until a person starts it again). */
  private async fail(message: string, opts: { keyRejected?: boolean } = {}): Promise<void> {
    const { db } = this.ctx;
    this.hold.assertHeld();
    if (opts.keyRejected && this.bot.keyId) {
      await db.exchangeKey.update({ where: { id: this.bot.keyId }, data: { status: "rejected", statusMessage: message } });
      this.events.push({ botId: this.bot.id, keyId: this.bot.keyId, level: "warn", kind: "key.rejected", message });
    }
    // it gives up: a cancel asked of a stopped bot (Stop, the kill switch) ends too, or the supervisor would take it again at once
    await this.setStatus("error", message, { desiredState: "stopped", cancelPending: false, lastError: message, lastErrorAt: new Date(this.now()) });
    this.end({ retry: false, leaseLost: false });
  }

  /** A refused intent: a `risk` event (the same reason at most once a minute), never a crash, never an order. Returns whether the event was written. */
  private async refuse(reason: string, intent?: Intent, key = reason, data: Record<string, unknown> = {}): Promise<boolean> {
    const now = this.now();
    if (now - (this.refusalLoggedAt.get(key) ?? 0) < 60_000) return false;
    this.refusalLoggedAt.set(key, now);
    if (this.refusalLoggedAt.size > 100) this.refusalLoggedAt.delete(this.refusalLoggedAt.keys().next().value!);
    this.hold.assertHeld();
    this.events.push({ botId: this.bot.id, level: "warn", kind: "risk.refused", message: `Refused: ${reason}`, data: { reason, intent: intent ?? null, ...data } });
    return true;
  }

  private async noteError(message: string): Promise<void> {
    const now = this.now();
    if (message === this.lastErrorWritten.message && now - this.lastErrorWritten.at < 30_000) return;
    this.lastErrorWritten = { message, at: now };
    await this.writeBot({ lastError: message, lastErrorAt: new Date(now) });
    this.events.push({ botId: this.bot.id, level: "warn", kind: "bot.error", message });
  }

  /**
   * A tick went through after failed ones: an event, and the bot row's last error cleared when it is
   * still the one those ticks wrote (its events keep it), so a bot that recovered shows no error.
   */
  private async recovered(): Promise<void> {
    const after = this.stalled ? ` and ${this.failingMinutes()} minute(s)` : "";
    this.events.push({ botId: this.bot.id, kind: "bot.recovered", message: `Reached the exchange again after ${this.tickFailures} failed tick(s)${after}.`, data: { stalled: this.stalled } });
    this.stalled = false;
    const { at } = this.lastErrorWritten;
    this.lastErrorWritten = { message: "", at: 0 };
    this.hold.assertHeld();
    // not writeBot: no row left to clear (a risk stop's or a key re-check's error came since) is not a lost lease
    if (at) await this.ctx.db.bot.updateMany({ where: { id: this.bot.id, lease: this.hold.leaseRow, lastErrorAt: new Date(at) }, data: { lastError: null, lastErrorAt: null } });
  }

  /** Ticks failing in a row long enough are a stall: said once per streak (an alert), and again by recovered(). */
  private noteStall(last: string): void {
    if (this.stalled || this.now() - this.failingSince < (this.ctx.stalledAfterMs ?? stalledAfterMs)) return;
    this.stalled = true;
    this.events.push({ botId: this.bot.id, level: "error", kind: "bot.stalled", message: `No tick has gone through for ${this.failingMinutes()} minute(s) (${this.tickFailures} failed in a row); the bot keeps retrying. Last: ${last}.`, data: { since: new Date(this.failingSince).toISOString(), failures: this.tickFailures } });
  }

  private failingMinutes(): number {
    return Math.round((this.now() - this.failingSince) / 60_000);
  }

  // ---- start ------------------------------------------------------------------------------

  /** Reconciles with the exchange, then enters the phase the user asked for. */
  start(): Promise<void> {
    this.starting = this.begin();
    return this.starting;
  }

  private async begin(): Promise<void> {
    // read before the start writes its status (the supervisor's update() then carries the new message in)
    this.restarting = this.bot.status === "error" && !!this.bot.statusMessage?.startsWith(startFailed);
    try {
      await this.setStatus("starting", null);
      if (!this.strategy) return await this.fail(`Unknown strategy "${this.bot.strategy}".`);
      if (!(await this.reconcile())) return;
      // a failed start's error, retried until now, is over (its events keep it); not writeBot: there may be none to clear
      await this.ctx.db.bot.updateMany({ where: { id: this.bot.id, lease: this.hold.leaseRow, lastError: { startsWith: startFailed } }, data: { lastError: null, lastErrorAt: null } });
      await this.writePatch();
      await this.enterDesiredPhase();
    } catch (err) {
      await this.handleStartError(err);
    } finally {
      await this.flushEvents();
    }
  }

  private async handleStartError(err: unknown): Promise<void> {
    if (err instanceof FencingError) return this.end({ retry: false, leaseLost: true });
    if (classifyError(err) === "authRejected") return this.fail(`The exchange rejected this bot's key (${safeErrorMessage(err)}): it was deleted, lost its permissions, or this server's IP is not allowed. Fix the key, then start the bot again.`, { keyRejected: true });
    const message = `${startFailed}: ${safeErrorMessage(err)}. The bot does not trade until it succeeds; it will be tried again.`;
    this.ctx.log.warn({ botId: this.bot.id, err: safeErrorMessage(err) }, "reconciliation failed");
    try {
      // the start is retried (5 s doubling to a minute): its failure is an alert the first time, not at every retry
      await this.setStatus("error", message, { lastError: message, lastErrorAt: new Date(this.now()) }, this.restarting ? { again: true } : {});
    } catch {
      // the lease went too: nothing more to write
    }
    this.end({ retry: true, leaseLost: false });
  }

  /** False when the bot must not start (the reason is written). */
  private async reconcile(): Promise<boolean> {
    const { db } = this.ctx;
    const paper = this.bot.mode !== "live";
    if (!paper) {
      if (!this.bot.keyId) {
        await this.fail("This bot has no key: rotate a key onto it first.");
        return false;
      }
      const key0 = await db.exchangeKey.findUnique({ where: { id: this.bot.keyId }, select: { status: true, label: true } });
      if (!key0 || key0.status === "revoked") {
        // nothing can be done at the exchange without the key: say so, and do not retry
        this.hold.assertHeld();
        await this.setStatus(this.bot.desiredState === "stopped" ? "stopped" : "error", `Its key${key0 ? ` "${key0.label}"` : ""} is revoked, so Keyward can no longer reach its orders: cancel any open ones on the exchange, or rotate a key onto the bot.`, { desiredState: "stopped", cancelPending: false });
        this.end({ retry: false, leaseLost: false });
        return false;
      }
      const checked = await recheckKey({ db, keyring: this.ctx.keyring(), demoUrl: this.ctx.demoUrl }, this.bot.keyId, { botWasStarting: true });
      if (checked.startsWith("could not re-check")) throw new Error(checked.replace(/^could not re-check now: /, "the key's permissions could not be checked: "));
      const key = await db.exchangeKey.findUniqueOrThrow({ where: { id: this.bot.keyId } });
      if (key.status === "rejected") {
        await this.fail(key.statusMessage ?? "The exchange rejected this bot's key.");
        return false;
      }
      // a key that can move money does not trade; a stopped bot taken only to cancel its orders (Stop, the kill switch) still cancels them
      if ((key.canWithdraw || key.canTransfer) && !key.withdrawRiskAcceptedAt && this.bot.desiredState !== "stopped") {
        this.hold.assertHeld();
        const right = key.canWithdraw ? "withdraw funds" : "transfer funds between wallets or sub-accounts";
        await this.setStatus("paused", `Not started: its key can now ${right}. Remove that permission on the exchange (or rotate the key), then start the bot again.`, { desiredState: "stopped" });
        this.end({ retry: false, leaseLost: false });
        return false;
      }
      const { credentials } = await loadCredentials(db, this.ctx.keyring(), this.bot.keyId);
      this.gateway = await LiveGateway.open({ exchange: this.bot.exchange, credentials, demoUrl: this.ctx.demoUrl, hold: this.hold });
    } else {
      const balances = JSON.parse(this.bot.paperBalances || "{}") as Record<string, string>;
      const start = Object.keys(balances).length ? balances : { [this.quote]: this.bot.paperStartQuote };
      const resting = await db.order.findMany({ where: { botId: this.bot.id, paper: true, status: "open", type: "limit" } });
      this.gateway = new PaperGateway({ symbol: this.bot.symbol, base: this.base, quote: this.quote }, start, resting, this.ctx.clock);
    }
    const pub = await this.ctx.market.publicExchange(this.bot.exchange);
    const market = pub.markets?.[this.bot.symbol];
    if (!market) throw new Error(`${this.bot.exchange} has no market ${this.bot.symbol}`);
    this.rules = marketRules(market, pub.precisionMode ?? 0);
    this.patch.market = JSON.stringify({ priceTick: this.rules.priceTick ? str(this.rules.priceTick) : null, amountStep: this.rules.amountStep ? str(this.rules.amountStep) : null, base: this.base, quote: this.quote });

    this.om = new OrderManager({
      db, log: this.ctx.log, bot: { id: this.bot.id, exchange: this.bot.exchange, symbol: this.bot.symbol, keyId: this.bot.keyId }, gateway: this.gateway, hold: this.hold,
      events: this.events, onFill: (f) => {
        this.book.add(f);
        this.unshownFills = true;
      }, acceptWindowMs: this.ctx.acceptWindowMs, clock: this.ctx.clock,
    });
    this.om.rejecting = (JSON.parse(this.savedStreaks) as AlertStreaks).rejecting;
    await this.om.load();
    // the position and PnL from the fills recorded so far that it counts (those since a change of symbol or mode); new fills then come through onFill
    this.book.rollDay(this.now());
    for (const t of await db.trade.findMany({ where: positionTrades(this.bot.id, this.bot.positionSince), orderBy: { executedAt: "asc" } })) this.book.add(t);
    if (paper) (this.gateway as PaperGateway).observe((await this.ctx.market.ticker(this.bot.exchange, this.bot.symbol)).last);
    // the exchange is the truth: every working order looked up, foreign orders reported, missing fills fetched
    for (const row of [...this.om.working.values()].filter((r) => r.status === "pending")) await this.om.resolvePending(row);
    await this.om.sync({ allSymbols: !paper });
    await this.om.fetchTrades(Math.max(this.bot.createdAt.getTime(), this.now() - 23 * 3_600_000));
    this.lastSyncAt = this.now();
    await this.snapshotBalances(true);
    this.startStream();
    return true;
  }

  /**
   * The exchange's user-data stream (live bots, where ccxt.pro has one): fills
   * are recorded the moment they are pushed, not at the next tick. While it
   * works, REST only cross-checks every 30 s; while it does not, every tick.
   */
  private startStream(): void {
    if (!this.gateway.stream) return;
    this.stopStream = this.gateway.stream(this.bot.symbol, {
      opened: () => {
        this.streamHealthy = true;
        this.lastSyncAt = 0; // catch up on anything missed while it was down, at the next tick
      },
      error: (err) => {
        this.streamHealthy = false;
        if (classifyError(err) !== "retryable") this.ctx.log.warn({ botId: this.bot.id, err: safeErrorMessage(err) }, "user-data stream failed; polling until it is back");
      },
      orders: (orders) => void this.fromStream(() => this.om.onStreamOrders(orders)),
      trades: (trades) => void this.fromStream(() => this.om.recordTrades(trades)),
    });
  }

  /** A stream update, applied between ticks; fills refresh balances and PnL at once. */
  private fromStream(apply: () => Promise<unknown>): Promise<void> {
    return this.mutex.run(async () => {
      if (this.phase === "ended" || this.phase === "starting") return;
      try {
        await apply();
        if (this.unshownFills) {
          await this.showFills();
          await this.writePatch();
        }
      } catch (err) {
        if (err instanceof FencingError) return this.end({ retry: false, leaseLost: true });
        this.ctx.log.warn({ botId: this.bot.id, err: safeErrorMessage(err) }, "could not apply a stream update; the next sync covers it");
      }
      await this.flushEvents();
    });
  }

  private async enterDesiredPhase(): Promise<void> {
    const d = this.bot.desiredState;
    if (d === "running") {
      this.phase = "running";
      await this.setStatus("running", null);
    } else if (d === "paused") {
      this.phase = "paused";
      await this.setStatus("paused", this.pauseMessage());
    } else {
      this.phase = "stopping";
      this.stoppingSince = this.now();
      await this.setStatus("stopping", null);
    }
  }

  private pauseMessage(): string {
    return this.bot.statusMessage?.startsWith("Paused") ? this.bot.statusMessage : "Paused: the strategy places no orders; open orders are kept and followed.";
  }

  /** The supervisor's view of the bot row changed (the user asked for something). Returns whether to tick now. */
  update(row: Pick<BotRow, "desiredState" | "stopCancelsOrders" | "cancelPending" | "killSwitch" | "statusMessage" | "cancelAsks">): boolean {
    const before = this.bot;
    this.bot = { ...before, desiredState: row.desiredState, stopCancelsOrders: row.stopCancelsOrders, cancelPending: row.cancelPending, killSwitch: row.killSwitch, statusMessage: row.statusMessage, cancelAsks: row.cancelAsks };
    if (before.cancelAsks !== row.cancelAsks) this.userCancelsDue = true;
    return before.desiredState !== row.desiredState || before.cancelPending !== row.cancelPending || before.killSwitch !== row.killSwitch || before.cancelAsks !== row.cancelAsks;
  }

  // ---- ticks ------------------------------------------------------------------------------

  /** One step of the loop; a tick still in flight is not overlapped. */
  tick(): Promise<void> {
    if (this.phase === "starting" || this.phase === "ended") return Promise.resolve();
    const dueAt = this.nextTickAt;
    const startedAt = this.now();
    this.ticking ??= this.mutex
      .run(() => {
        this.tickAgain = false; // this tick reads the bot as it is now
        return this.step();
      })
      .finally(() => {
        this.ticking = null;
        const endedAt = this.now();
        this.ctx.onTick?.(this.bot.id, dueAt, startedAt, endedAt);
        // The first tick runs at once; the second at a random point of the interval, so that bots started
        // together do not tick together; then a fixed rate keeps that phase (unless a tick ran late).
        const interval = this.backoffMs || (this.phase === "stopping" ? 1000 : this.bot.tickSeconds * 1000);
        if (this.tickAgain) this.nextTickAt = endedAt;
        else if (this.ticks++ === 0) this.nextTickAt = endedAt + Math.floor(Math.random() * interval);
        else this.nextTickAt = this.backoffMs || dueAt + interval <= endedAt ? endedAt + interval : dueAt + interval;
      });
    return this.ticking;
  }

  /** a tick is in flight (or waits for a stream update to finish) */
  get busy(): boolean {
    return this.ticking !== null;
  }

  /**
   * The user asked for something (Stop, Pause, the kill switch, a cancel): a
   * tick as soon as possible. Returns true when no tick is in flight (the
   * caller schedules one now); otherwise the tick in flight, which may have
   * read the bot before the change, is followed at once by another.
   */
  wake(): boolean {
    if (!this.busy) return true;
    this.tickAgain = true;
    return false;
  }

  /** Waits for the start, the tick in flight and queued stream updates (and their events) to finish. */
  async settle(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.mutex.run(async () => undefined); // every tick and stream update queued so far
  }

  private async step(): Promise<void> {
    try {
      this.hold.assertHeld();
      await this.followDesired();
      if (this.phase === "running" || this.phase === "paused") {
        await this.trade();
        // fills this tick recorded (a market order's answer carries them)
        if (this.unshownFills) await this.showFills();
      } else if (this.phase === "stopping") await this.stopStep();
      await this.writePatch();
      if (this.tickFailures > 0 && this.phase !== "ended") await this.recovered();
      this.backoffMs = 0;
      this.tickFailures = 0;
    } catch (err) {
      await this.onError(err);
    }
    await this.flushEvents();
  }

  /** Moves between running, paused and stopping as the user asks. */
  private async followDesired(): Promise<void> {
    const d = this.bot.desiredState;
    if (this.phase !== "stopping" && (d === "stopped" || this.bot.cancelPending)) {
      this.phase = "stopping";
      this.stoppingSince = this.now();
      await this.setStatus("stopping", null);
    } else if (this.phase === "running" && d === "paused") {
      this.phase = "paused";
      await this.setStatus("paused", this.pauseMessage());
    } else if (this.phase === "paused" && d === "running") {
      this.phase = "running";
      await this.setStatus("running", null);
    }
  }

  private async trade(): Promise<void> {
    const now = this.now();
    this.book.rollDay(now);
    const ticker = await this.ctx.market.ticker(this.bot.exchange, this.bot.symbol);
    this.lastTicker = ticker;
    if (this.gateway.paper) await this.om.recordTrades((this.gateway as PaperGateway).observe(ticker.last));
    const pending = [...this.om.working.values()].some((r) => r.status === "pending");
    if (!this.streamHealthy || pending || now - this.lastSyncAt >= crossCheckEveryMs) {
      await this.om.sync();
      this.lastSyncAt = now;
    }
    if (this.undecided && !this.om.working.has(this.undecided.clientOrderId)) await this.settleUndecided();
    await this.cancelAskedOrders();
    const dailyPnl = (await this.showPosition(ticker))!;
    const riskState = () => ({ position: this.book.position, workingOrders: [...this.om.working.values()], lastPrice: ticker.last, dailyPnl });
    if (dailyLossReached(this.limits, riskState())) return this.riskStop(`the day's loss (${dailyPnl.neg().toFixed(2)} ${this.quote}) reached the limit of ${this.bot.maxDailyLoss}`);
    if (!this.placesOrders()) return;

    const before = this.state;
    const intents = await this.decide(ticker);
    if (!intents) return;
    const cancels = intents.filter((i) => i.kind === "cancel");
    // the strategy's memory is durable before its orders go out (here, or in place() before a request): a crash in between cannot make it repeat them
    if (cancels.length) await this.persistState();
    for (const intent of cancels) {
      const row = this.om.working.get(intent.orderId);
      if (!row) await this.refuse(`cancel of ${intent.orderId}: the bot has no such open order`, intent);
      else this.release(await this.om.cancel(row, intent.reason));
    }
    const places = intents.filter((i) => i.kind === "place");
    const outcomes: Placement[] = [];
    try {
      for (const intent of places) {
        if (!this.placesOrders()) break;
        const outcome = await this.place(intent, ticker, riskState);
        outcomes.push(outcome);
        if (outcome !== "placed" && outcome !== "refused" && outcome !== "short") break;
      }
    } catch (err) {
      // The tick fails (a backoff) before anything of it reached the exchange: refused before it could execute (a rate
      // limit, the clock), or a balance read that failed. The strategy is asked again after the backoff: a DCA whose buy
      // met a 429 would otherwise count it as made and wait a whole interval (up to a week).
      if (!cancels.length && !outcomes.includes("placed") && !this.requestOut && !(err instanceof FencingError)) {
        this.state = before;
        await this.persistState().catch(() => undefined); // at worst the next tick writes it
      }
      throw err;
    } finally {
      this.requestOut = false;
    }
    // Orders asked for and none sent, nothing cancelled, and none refused but for want of funds, here or by the exchange, or
    // held by the cooldown after a rejection (or a Stop came first): the strategy is asked again at the next tick as if this
    // one had not happened, so a deposit is acted on at once and a DCA does not count a buy it never made as its buy for the
    // interval. (The state written before a request the exchange rejected for want of funds is written back.)
    if (!cancels.length && places.length && outcomes.every((o) => notTaken.has(o))) this.state = before;
    await this.persistState();
    const lost = outcomes.find((o) => typeof o === "object");
    if (lost && !cancels.length && !outcomes.includes("placed")) {
      this.undecided = { clientOrderId: lost.unknown, before, after: this.savedState };
      await this.writeBot({ undecidedTick: JSON.stringify(this.undecided) });
    }
  }

  /**
   * The order of a tick whose one request's answer was lost has left the working set. Found never placed (the lookups'
   * "no such order", or rejected unfilled) while the strategy's state is still what that tick wrote: the state from
   * before it comes back, and the strategy is asked again now, as after a tick that failed before its request could
   * execute. A DCA's lost buy would otherwise count as the interval's buy (up to a week). Kept in the bot row, so the
   * runner that takes the bot after a restart settles it the same way.
   */
  private async settleUndecided(): Promise<void> {
    const u = this.undecided!;
    this.undecided = null;
    const row = await this.ctx.db.order.findFirst({ where: { botId: this.bot.id, clientOrderId: u.clientOrderId }, select: { status: true, filled: true } });
    const neverPlaced = row?.status === "rejected" && new Money(row.filled).isZero() && this.savedState === u.after;
    if (!neverPlaced) return this.writeBot({ undecidedTick: null });
    this.state = u.before;
    const json = JSON.stringify(this.state);
    await this.writeBot({ undecidedTick: null, strategyState: json });
    this.savedState = json;
  }

  /** Running, and no Stop, Pause or kill switch asked for since this tick began (the next tick, at once, follows it). */
  private placesOrders(): boolean {
    return this.phase === "running" && this.bot.desiredState === "running" && !this.bot.cancelPending;
  }

  /** Bot-row fields gathered during a tick (PnL summary, balances, market rules, alert streaks), written together at its end with the tick's PnL point and balance rows. */
  private async writePatch(): Promise<void> {
    const streaks = JSON.stringify({ unfunded: [...this.unfundedSides].sort(), rejecting: this.om?.rejecting ?? false } satisfies AlertStreaks);
    if (streaks !== this.savedStreaks) this.patch.alertStreaks = streaks;
    const point = this.pnlPoint;
    const rows = this.balanceRows;
    const data = this.patch;
    this.pnlPoint = null;
    this.balanceRows = [];
    this.patch = {};
    const { db } = this.ctx;
    const botId = this.bot.id;
    if (!point && !rows.length) {
      if (Object.keys(data).length) await this.writeBot(data);
    } else {
      await this.hold.fenced(db, [
        ...(point ? [db.botPnlPoint.create({ data: { botId, ...point } })] : []),
        ...(rows.length ? [db.balanceSnapshot.createMany({ data: rows.map((r) => ({ ...r, botId, paper: this.gateway.paper })) })] : []),
        ...(Object.keys(data).length ? [db.bot.update({ where: { id: botId }, data })] : []),
      ]);
    }
    if (data.alertStreaks) this.savedStreaks = data.alertStreaks;
  }

  /** Writes the bot row, only while its lease row is still this runner's (else FencingError). */
  private async writeBot(data: Record<string, unknown>): Promise<void> {
    this.hold.assertHeld();
    this.hold.assertWritten((await this.ctx.db.bot.updateMany({ where: { id: this.bot.id, lease: this.hold.leaseRow }, data })).count);
  }

  /** Orders a user asked to cancel (from the bot page or the API): cancelled like the strategy's, running or paused. */
  private async cancelAskedOrders(): Promise<void> {
    if (!this.userCancelsDue) return;
    this.userCancelsDue = false;
    const asked = await this.ctx.db.order.findMany({ where: { botId: this.bot.id, cancelAskedAt: { not: null }, status: { in: ["pending", "open"] } }, select: { id: true, cancelAskedBy: true } });
    for (const a of asked) {
      const row = [...this.om.working.values()].find((r) => r.id === a.id);
      if (row) await this.om.cancel(row, `asked by ${a.cancelAskedBy ?? "a user"}`);
    }
  }

  /** The day's opening price from the exchange; until it has one, the first price this runner saw that day. */
  private async dayOpen(ticker: Ticker): Promise<string> {
    const day = this.book.currentDayStart;
    const open = await this.ctx.market.dayOpen(this.bot.exchange, this.bot.symbol, day);
    if (open !== null) return open;
    if (this.firstPriceOfDay?.day !== day) this.firstPriceOfDay = { day, price: ticker.last };
    return this.firstPriceOfDay.price;
  }

  /** Runs the strategy (pure; a throw is counted). Returns the valid intents, or null. */
  private async decide(ticker: Ticker): Promise<Intent[] | null> {
    const s = this.strategy!;
    const params = s.params.parse(JSON.parse(this.bot.params || "{}"));
    const md = s.marketData?.(params);
    const candles = md ? await this.ctx.market.candles(this.bot.exchange, this.bot.symbol, md.timeframe, md.candles) : [];
    const ctx: StrategyContext<unknown> = {
      params, symbol: this.bot.symbol, base: this.base, quote: this.quote, now: this.now(), lastPrice: ticker.last, bid: ticker.bid, ask: ticker.ask, candles,
      position: str(this.book.position), balances: { ...this.freeBalances }, limits: { maxOpenOrders: this.bot.maxOpenOrders, maxOrderNotional: this.bot.maxOrderNotional }, state: { ...this.state },
      market: this.rules ? marketView(this.rules) : noMarketRules,
      openOrders: [...this.om.working.values()].map((r) => ({ id: r.clientOrderId, side: r.side === "sell" ? "sell" : "buy", type: r.type === "market" ? "market" : "limit", price: r.price, amount: r.amount, filled: r.filled })),
    };
    let result;
    try {
      result = s.decide(ctx);
      this.strategyFailures = 0;
    } catch (err) {
      this.strategyFailures++;
      const message = `The strategy failed (${this.strategyFailures} in a row): ${err instanceof Error ? err.message : String(err)}`.slice(0, 500);
      if (this.strategyFailures >= 3) await this.fail(`${message}. The bot stopped after 3 failures in a row.`);
      else await this.noteError(message);
      return null;
    }
    if (result.state && typeof result.state === "object") this.state = result.state;
    const valid: Intent[] = [];
    for (const raw of Array.isArray(result.intents) ? result.intents : []) {
      const parsed = intentSchema.safeParse(raw);
      if (parsed.success) valid.push(parsed.data);
      else await this.refuse(`the strategy asked for something invalid (${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")})`);
    }
    return valid;
  }

  /** Rounds, checks and places one order. */
  private async place(intent: Extract<Intent, { kind: "place" }>, ticker: Ticker, riskState: () => Parameters<typeof checkOrder>[2]): Promise<Placement> {
    const now = this.now();
    const symbol = intent.symbol ?? this.bot.symbol;
    if (now < this.cooldownUntil) {
      await this.refuse(`the exchange rejected an order less than a minute ago; nothing is placed until ${new Date(this.cooldownUntil).toISOString()}`, intent);
      return "held";
    }
    const rules = this.rules!;
    const price = intent.type === "limit" ? (intent.price ? roundPrice(new Money(intent.price), intent.side, rules) : null) : null;
    if (intent.type === "limit" && !price) {
      await this.refuse("a limit order needs a price", intent);
      return "refused";
    }
    const reference = price ?? new Money(intent.side === "buy" ? (ticker.ask ?? ticker.last) : (ticker.bid ?? ticker.last));
    const raw = intent.amount ? new Money(intent.amount) : intent.quoteAmount ? new Money(intent.quoteAmount).div(reference) : null;
    if (!raw) {
      await this.refuse("the order names neither an amount nor a quote amount", intent);
      return "refused";
    }
    const amount = roundAmount(raw, rules);
    const small = belowMinimum(amount, reference, rules);
    if (small && symbol === this.bot.symbol) {
      await this.refuse(small, intent);
      return "refused";
    }
    const decision = checkOrder({ symbol, side: intent.side, type: intent.type, amount: str(amount), price: price ? str(price) : null }, this.limits, riskState());
    if (!decision.ok) {
      if (decision.stopBot) {
        await this.riskStop(decision.reason);
        return "stop";
      }
      await this.refuse(decision.reason, intent);
      return "refused";
    }
    let short = this.shortOfFunds(intent.side, amount, reference);
    if (short && now - this.lastBalanceAt >= freshBalancesMs) {
      await this.snapshotBalances(true); // before refusing, the balances as they are now (a deposit, an order gone)
      short = this.shortOfFunds(intent.side, amount, reference);
    }
    if (short) {
      // the figures change with the price: once a minute all the same; the first of a streak is the bot.unfunded alert
      const first = !this.unfundedSides.has(intent.side);
      if (await this.refuse(short, intent, `funds:${intent.side}`, first ? { unfundedStreak: true } : {})) this.unfundedSides.add(intent.side);
      return "short";
    }
    await this.persistState();
    this.requestOut = true; // until it answers: an error thrown from within may come after the exchange took the order
    const result = await this.om.place({ side: intent.side, type: intent.type, amount: str(amount), price: price ? str(price) : null, reason: intent.reason });
    this.requestOut = false;
    if (result.outcome === "accepted") {
      this.unfundedSides.delete(intent.side);
      const [currency, taken] = this.fundsFor(intent.side, amount, reference);
      this.addFree(currency, taken.neg()); // until the balances are read again
      return "placed";
    }
    if (result.outcome === "unknown") return { unknown: result.row.clientOrderId }; // the exchange is in trouble: resolve this one before anything else
    const cls = classifyError(result.error);
    if (cls === "authRejected" || cls === "retryable") throw result.error; // stop the bot / back off
    this.cooldownUntil = now + (this.ctx.rejectionCooldownMs ?? rejectionCooldownMs);
    if (!refusedForFunds(result.error)) return "stop";
    // the account had less than its balances as last read (another bot on it, a withdrawal): read again, so that after the
    // cooldown the order is checked against them here and refused here while the account cannot pay, not sent again
    await this.snapshotBalances(true);
    return "unfunded";
  }

  /**
   * An order the account cannot pay for by its free balances as last read (at least every minute, after
   * every fill, and before a refusal when older than freshBalancesMs; orders placed and canceled since
   * counted): refused here, as the backtester's exchange refuses it, not sent for the exchange to reject
   * (a rejected order every interval, and a minute's cooldown after each). Fees taken in the quote are not
   * counted, nor what other bots on the account took since the read: the exchange still has the last word.
   */
  private shortOfFunds(side: "buy" | "sell", amount: Money, price: Money): string | null {
    if (!this.lastBalanceAt) return null; // not read yet
    const [currency, need] = this.fundsFor(side, amount, price);
    const free = new Money(this.freeBalances[currency] ?? "0");
    if (need.lte(free)) return null;
    return `not enough ${currency} on the account for a ${side}: it needs ${str(need.toDecimalPlaces(8))}, ${str(free)} is free (as read at ${new Date(this.lastBalanceAt).toISOString().slice(11, 19)} UTC). Add ${currency} to the account or lower the order size.`;
  }

  /** What an order of `amount` at `price` needs free: a buy the quote, a sell the base. */
  private fundsFor(side: string, amount: Money, price: Money): [string, Money] {
    return side === "buy" ? [this.quote, amount.mul(price)] : [this.base, amount];
  }

  /** What a canceled limit order gives back to the free balances until they are read again (a re-quote places with it). */
  private release(row: OrderRow | null): void {
    if (row?.status !== "canceled" || row.price === null) return;
    const [currency, freed] = this.fundsFor(row.side, new Money(row.amount).sub(row.filled), new Money(row.price));
    this.addFree(currency, freed);
  }

  private addFree(currency: string, delta: Money): void {
    this.freeBalances[currency] = str(new Money(this.freeBalances[currency] ?? "0").add(delta));
  }

  private async persistState(): Promise<void> {
    const json = JSON.stringify(this.state);
    if (json === this.savedState) return;
    await this.writeBot({ strategyState: json });
    this.savedState = json;
  }

  /** Balances from the exchange (or the paper account): at least every minute, and after every fill. */
  private async snapshotBalances(force: boolean): Promise<void> {
    const now = this.now();
    if (!force && now - this.lastBalanceAt < balanceEveryMs) return;
    const all = await this.gateway.balances();
    this.lastBalanceAt = now;
    this.freeBalances = Object.fromEntries(Object.entries(all).map(([c, b]) => [c, b.free]));
    const keep = Object.entries(all).filter(([c, b]) => c === this.base || c === this.quote || !new Money(b.total).isZero()).slice(0, 20);
    const keyId = this.bot.keyId;
    // a row per currency when they changed, else once a minute (a bot refused for want of funds reads them every 10 s)
    const rows = JSON.stringify(keep);
    if (keyId && (rows !== this.lastBalanceRows || now - this.lastBalanceRowsAt >= balanceEveryMs)) {
      this.balanceRows.push(...keep.map(([currency, b]) => ({ keyId, currency, free: b.free, used: b.used, total: b.total, takenAt: new Date(now) })));
      this.lastBalanceRows = rows;
      this.lastBalanceRowsAt = now;
    }
    if (this.gateway.paper) this.patch.paperBalances = JSON.stringify((this.gateway as PaperGateway).balanceSnapshot());
    this.patch.balances = JSON.stringify(Object.fromEntries(keep));
    this.patch.balancesAt = new Date(now);
    const summary = JSON.stringify(Object.fromEntries(keep.map(([c, b]) => [c, b.total])));
    if (summary !== this.lastBalances) {
      this.lastBalances = summary;
      this.events.push({ botId: this.bot.id, keyId: this.bot.keyId, kind: "balance", message: `Balances: ${keep.map(([c, b]) => `${c} ${b.total}`).join(", ")}`, data: { balances: Object.fromEntries(keep), paper: this.gateway.paper } });
    }
  }

  /** After fills: their events go out at once, then the position, which waits on a balance read. */
  private async showFills(): Promise<void> {
    await this.flushEvents();
    await this.showPosition(this.lastTicker);
  }

  /** Balances and (with a price) the position and PnL summary: at once after fills or when forced, else at most every minute. Returns the day's PnL. */
  private async showPosition(ticker: Ticker | null, force = this.unshownFills): Promise<Money | null> {
    await this.snapshotBalances(force);
    if (!ticker) return null;
    const dailyPnl = this.book.dailyPnl(await this.dayOpen(ticker), ticker.last);
    await this.writePnl(ticker.last, dailyPnl, force);
    this.unshownFills = false;
    return dailyPnl;
  }

  /** The position and PnL summary pages and the API show: after fills, and at least every minute. */
  private async writePnl(lastPrice: string, dailyPnl: Money, force: boolean): Promise<void> {
    const now = this.now();
    if (!force && now - this.lastPnlAt < balanceEveryMs) return;
    this.lastPnlAt = now;
    const summary = { ...this.book.summary(lastPrice), dailyPnl: str(dailyPnl.toDecimalPlaces(8)), lastPrice, base: this.base, quote: this.quote };
    this.patch.pnl = JSON.stringify(summary);
    this.patch.pnlAt = new Date(now);
    // the equity curve: a point every 5 minutes, or a minute after the last one when a fill changed it (bounded rows per bot)
    if (summary.totalPnl !== null && now - this.lastPnlPointAt >= (force ? 60_000 : pnlPointEveryMs)) {
      this.lastPnlPointAt = now;
      this.pnlPoint = { at: new Date(now), totalPnl: summary.totalPnl, realizedPnl: summary.realizedPnl, position: summary.position, price: lastPrice };
    }
  }

  /** Daily loss reached: stop, cancelling the bot's orders. */
  private async riskStop(reason: string): Promise<void> {
    this.hold.assertHeld();
    this.events.push({ botId: this.bot.id, level: "error", kind: "risk.stop", message: `Risk stop: ${reason}. The bot stops and cancels its open orders.`, data: { reason } });
    await this.writeBot({ desiredState: "stopped", stopCancelsOrders: true, lastError: `Risk stop: ${reason}`, lastErrorAt: new Date(this.now()) });
    this.bot = { ...this.bot, desiredState: "stopped", stopCancelsOrders: true };
    this.phase = "stopping";
    this.stoppingSince = this.now();
    this.stopReason = `Risk stop: ${reason}`;
    await this.setStatus("stopping", this.stopReason);
  }

  // ---- stopping ---------------------------------------------------------------------------

  private async stopStep(): Promise<void> {
    const cancel = this.bot.stopCancelsOrders || this.bot.cancelPending;
    await this.om.sync();
    if (cancel) for (const row of [...this.om.working.values()]) await this.om.cancel(row, "the bot is stopping");
    if (cancel && this.om.working.size > 0) {
      if (this.now() - this.stoppingSince < stopTimeoutMs) return; // next tick: pending orders resolve, cancels are retried
      return this.fail(`Could not cancel ${this.om.working.size} open order(s) within a minute; cancel them on the exchange. The bot is stopped.`);
    }
    await this.om.fetchTrades(this.bot.createdAt.getTime());
    await this.showPosition(this.lastTicker, true);
    const open = this.om.working.size;
    await this.setStatus("stopped", this.stopReason ?? (open ? `Stopped; ${open} open order(s) kept ${this.gateway.paper ? "in the paper account" : "on the exchange"}.` : null), { cancelPending: false });
    this.end({ retry: false, leaseLost: false });
  }

  // ---- errors and shutdown -------------------------------------------------------------------

  private async onError(err: unknown): Promise<void> {
    if (err instanceof FencingError) {
      this.ctx.log.warn({ botId: this.bot.id, err: err.message }, "lease lost: runner ended without writing");
      return this.end({ retry: false, leaseLost: true });
    }
    const cls = classifyError(err);
    const message = safeErrorMessage(err);
    try {
      if (cls === "authRejected") return await this.fail(`The exchange rejected this bot's key (${message}): it was deleted, lost its permissions, or this server's IP is not allowed. Fix the key, then start the bot again.`, { keyRejected: true });
      if (await this.keyRejectedOnRecheck(err)) return;
      if (this.tickFailures++ === 0) this.failingSince = this.now();
      this.backoffMs = Math.min(maxBackoffMs, Math.max(1000, this.backoffMs * 2)) * (0.8 + Math.random() * 0.4);
      const what = cls === "retryable" || cls === "unknownOutcome" ? "The exchange could not be reached or refused for now" : "Unexpected error";
      await this.noteError(`${what} (${message}); retrying in ${Math.round(this.backoffMs / 1000)} s.`);
      this.noteStall(`${what.toLowerCase()} (${message})`);
      if (cls === "unknown" || cls === "orderRejected") this.ctx.log.warn({ botId: this.bot.id, err: message }, "runner tick failed");
    } catch (inner) {
      if (inner instanceof FencingError) this.end({ retry: false, leaseLost: true });
      else this.ctx.log.error({ botId: this.bot.id, err: safeErrorMessage(inner) }, "runner could not record an error");
    }
  }

  /**
   * Binance answers -2015 ("Invalid API-key, IP, or permissions") both for a
   * key that was deleted and for a temporary ban, and ccxt reports it as a rate
   * limit once the key has worked (DDoSProtection). A fresh re-check of the key
   * tells them apart: refused there too, the key is rejected and the bot stops.
   * At most once a minute.
   */
  private async keyRejectedOnRecheck(err: unknown): Promise<boolean> {
    if (this.gateway?.paper || !this.bot.keyId || !/-2015\b/.test(safeErrorMessage(err))) return false;
    if (this.now() - this.lastKeyRecheckAt < 60_000) return false;
    this.lastKeyRecheckAt = this.now();
    await recheckKey({ db: this.ctx.db, keyring: this.ctx.keyring(), demoUrl: this.ctx.demoUrl }, this.bot.keyId, { botWasStarting: true });
    const key = await this.ctx.db.exchangeKey.findUnique({ where: { id: this.bot.keyId }, select: { status: true } });
    if (key?.status !== "rejected") return false;
    await this.fail("The exchange rejected this bot's key at a re-check: it was deleted, lost its permissions, or this server's IP is no longer allowed. Fix the key on the exchange and Re-check it on the Keys page, then start the bot again.");
    return true;
  }

  /**
   * The worker is stopping, or hands the bot to another worker: the tick in
   * flight gets `graceMs` to finish (an order whose answer is still out is
   * looked up by the next runner), then the hold is given up so nothing more is
   * sent or written, and the bot is left for the next worker.
   */
  async shutdown(graceMs: number, why = "Its worker stopped; the next worker takes it over."): Promise<void> {
    const wasActive = this.phase !== "ended";
    this.phase = "ended";
    await this.stopStream?.();
    await Promise.race([this.settle(), new Promise((r) => setTimeout(r, graceMs).unref())]);
    await this.flushEvents();
    if (wasActive && this.hold.held()) {
      await this.writeBot({ status: this.bot.desiredState === "stopped" ? "stopping" : "starting", statusMessage: why, statusSince: new Date(this.now()), workerId: null }).catch(() => undefined);
    }
    this.hold.markLost();
    this.endResolve({ retry: false, leaseLost: false });
  }

  /** The lease was found taken at renewal: end at once, write nothing. */
  abort(): void {
    this.hold.markLost();
    this.end({ retry: false, leaseLost: true });
  }

  /** Whether fills reach this runner by the exchange's stream right now (metrics, tests). */
  get streaming(): boolean {
    return this.streamHealthy;
  }
}
