/**
 * "Why did live differ from the backtest?" Re-runs a bot's strategy with its
 * exact parameters and risk limits over the candles of the period it ran,
 * then sets its live fills beside the simulated ones:
 *  - matched: a live fill and a simulated fill on the same side within two
 *    candles of each other (each live fill in time order takes the nearest one
 *    left; the earliest in the window would pair a bot restarted mid-minute with
 *    the signal a minute before; a pairing with the most pairs would pair each
 *    fill after downtime with the signal before the one it answered, hiding the
 *    missed one) — with the price difference counted against the trader (a buy
 *    dearer or a sell cheaper than simulated);
 *  - only live: a fill the backtest did not make;
 *  - only simulated: a signal the bot did not act on (or could not, live), with
 *    the bot's status then when it was not running (stopped, paused, in error:
 *    from its status events; unattended: no worker ran it, from its lease
 *    takeovers; null when running or not known);
 *  - later: a live fill the replayed candles cannot answer yet. A signal at the
 *    close of the last candle has no next open to fill at, so a live fill after
 *    the last candle's open is compared only once a later candle has closed
 *    (the period runs one candle past a stopped bot's last activity for that);
 * summed, over the fills compared: the slippage cost and the fee difference, in the quote currency.
 */
import type { Db } from "../db/client";
import { positionTrades } from "../bots/positions";
import { riskLimitsOf } from "../bots/risk";
import { InvalidInputError, NotFoundError } from "../errors";
import { safeErrorMessage } from "../exchange/errors";
import { openExchange } from "../exchange/open";
import { Money, zero } from "../money";
import { strategies } from "../strategies/registry";
import { downloadCandles, loadCandles } from "./candle-store";
import { runBacktest, type Report } from "./engine";
import { marketSpec } from "./market-spec";
import type { SimFill } from "./simulated-exchange";
import { closedUntil, timeframeMs, type Timeframe } from "../exchange/timeframes";

export interface LiveFill {
  time: number;
  side: string;
  price: string;
  amount: string;
  /** the fee in the quote currency (a base fee valued at the fill price) */
  feeQuote: string;
}

type MissedSignal = Pick<SimFill, "time" | "side" | "price" | "amount" | "reason">;

export interface Replay {
  bot: { id: string; name: string; strategy: string; params: Record<string, unknown>; symbol: string; mode: string };
  /** candles from `from` to `to` (exclusive); live fills up to `comparedUntil` are compared */
  period: { from: number; to: number; comparedUntil: number; timeframe: string; candles: number };
  /** the live fills compared (not the later ones) */
  live: { fills: number; fees: string };
  simulated: { fills: number; fees: string; finalEquity: string; returnPct: number };
  matched: { live: LiveFill; simulated: Pick<SimFill, "time" | "side" | "price" | "amount">; priceDifference: string; slippageQuote: string }[];
  onlyLive: LiveFill[];
  onlySimulated: (MissedSignal & { botWas: NotRunning | null })[];
  later: LiveFill[];
  totals: { slippageQuote: string; feeDifferenceQuote: string; matched: number; onlyLive: number; onlySimulated: number; later: number };
  notes: string[];
}

const maxCandles = 20_000;

/** The statuses in which a bot acts on no signal; "unattended": running, but no worker ran it. */
const notRunning = ["stopped", "paused", "error"] as const;
type NotRunning = (typeof notRunning)[number] | "unattended";

interface Span {
  from: number;
  to: number;
}

/** The bot's status at time t (from its status events, oldest first) when it was one of `notRunning`, else "unattended" inside one of `unattended`; null when running or not known. */
function notRunningAt(events: { at: number; status: string }[], unattended: Span[], t: number): NotRunning | null {
  let status: string | null = null;
  for (const e of events) {
    if (e.at > t) break;
    status = e.status;
  }
  return notRunning.find((s) => s === status) ?? (unattended.some((u) => t >= u.from && t < u.to) ? "unattended" : null);
}

/**
 * When no worker ran the bot, although its status still said running (every worker down, a
 * worker killed until another took over): each time a worker took the bot after the first, from
 * the last sign of life before that — the bot's latest event or balance snapshot (a runner
 * snapshots balances at least every minute) — to the taking. A bot handed over by a worker that
 * shut down says so in its events, so such a gap is seconds long.
 */
async function unattendedSpans(db: Db, botId: string, period: Span): Promise<Span[]> {
  const takes = (await db.botEvent.findMany({ where: { botId, kind: "lease.acquired" }, orderBy: { id: "asc" }, select: { createdAt: true } })).slice(1).map((e) => e.createdAt);
  const spans: Span[] = [];
  for (const at of takes.filter((a) => a.getTime() > period.from && a.getTime() <= period.to)) {
    const [event, snapshot] = await Promise.all([
      db.botEvent.findFirst({ where: { botId, createdAt: { lt: at } }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }),
      db.balanceSnapshot.findFirst({ where: { botId, takenAt: { lt: at } }, orderBy: { takenAt: "desc" }, select: { takenAt: true } }),
    ]);
    const alive = Math.max(event?.createdAt.getTime() ?? -Infinity, snapshot?.takenAt.getTime() ?? -Infinity);
    if (alive > -Infinity) spans.push({ from: alive, to: at.getTime() });
  }
  return spans;
}

export async function replayBot(db: Db, botId: string, opts: { demoUrl: string | undefined; now?: number; fee?: string }): Promise<Replay> {
  const bot = await db.bot.findFirst({ where: { id: botId, deletedAt: null } });
  if (!bot) throw new NotFoundError("That bot does not exist.");
  const strategy = strategies[bot.strategy];
  if (!strategy) throw new InvalidInputError(`Unknown strategy ${bot.strategy}.`);
  const params = JSON.parse(bot.params) as Record<string, unknown>;
  // the run on the bot's present symbol and mode: orders placed since they last changed
  const since = bot.positionSince ? { createdAt: { gte: bot.positionSince } } : {};
  const first = await db.order.findFirst({ where: { botId, ...since }, orderBy: { createdAt: "asc" }, select: { createdAt: true } });
  if (!first) throw new InvalidInputError(`"${bot.name}" has not placed an order${bot.positionSince ? ` on ${bot.symbol} in ${bot.mode} mode` : ""} yet: run it first, then replay it.`);
  const trades = await db.trade.findMany({ where: positionTrades(botId, bot.positionSince), orderBy: { executedAt: "asc" } });
  const lastOrder = await db.order.findFirst({ where: { botId, ...since }, orderBy: { updatedAt: "desc" }, select: { updatedAt: true } });
  const running = ["starting", "running", "pausing", "paused"].includes(bot.status);
  const now = opts.now ?? Date.now();
  const market = strategy.marketData?.(strategy.params.parse(params));
  const timeframe = ((market?.timeframe as Timeframe | undefined) ?? "1m") as Timeframe;
  const tf = timeframeMs[timeframe];
  const from = Math.floor(first.createdAt.getTime() / tf) * tf;
  const end = Math.max(running ? now : 0, lastOrder!.updatedAt.getTime(), trades.at(-1)?.executedAt.getTime() ?? 0);
  // closed candles only, up to the one after the last activity's (whose open a signal at the end of that one fills at)
  const to = Math.min(closedUntil(tf, now), Math.floor(end / tf) * tf + 2 * tf);
  const warmup = (market?.candles ?? 0) * tf;
  if ((to - from + warmup) / tf > maxCandles) throw new InvalidInputError(`The bot ran for more than ${maxCandles.toLocaleString("en")} ${timeframe} candles; replays cover shorter runs.`);

  const range = { exchange: bot.exchange, symbol: bot.symbol, timeframe, since: from - warmup, until: to };
  let ex;
  try {
    ex = await openExchange({ exchange: bot.exchange, demoUrl: opts.demoUrl, timeoutMs: 60_000 });
    await downloadCandles(db, ex, range);
  } catch (err) {
    throw new InvalidInputError(`Could not load the candles from ${bot.exchange}: ${safeErrorMessage(err)} Try again later.`);
  }
  const candles = await loadCandles(db, range);
  if (!candles.length) throw new InvalidInputError(`No closed ${timeframe} candle covers the period the bot ran yet: try again after the candle closes.`);

  const start = await db.balanceSnapshot.findFirst({ where: { botId, currency: bot.symbol.split("/")[1], ...(bot.positionSince ? { takenAt: { gte: bot.positionSince } } : {}) }, orderBy: { takenAt: "asc" }, select: { free: true } });
  const report: Report = runBacktest({
    strategy: bot.strategy, params, symbol: bot.symbol, timeframe, candles, fee: opts.fee ?? "0.001", market: marketSpec(ex, bot.symbol),
    balance: bot.mode === "paper" ? bot.paperStartQuote : (start?.free ?? bot.paperStartQuote), tradeFrom: from,
    limits: { ...riskLimitsOf(bot), killSwitch: false }, // what happened since the run is not the replay's business
  });

  const live: LiveFill[] = trades.map((t) => ({ time: t.executedAt.getTime(), side: t.side, price: t.price, amount: t.amount, feeQuote: (t.feeCurrency && t.feeCurrency === bot.symbol.split("/")[0] ? new Money(t.fee).mul(t.price) : new Money(t.fee)).toFixed() }));
  const comparedUntil = candles.at(-1)!.time; // the last candle's open: no simulated fill can come later
  const statusEvents = (await db.botEvent.findMany({ where: { botId, kind: "bot.status" }, orderBy: { id: "asc" }, select: { createdAt: true, data: true } })).map((e) => ({ at: e.createdAt.getTime(), status: String((JSON.parse(e.data) as { status?: unknown }).status) }));
  const compared = compareFills(live, report.fills, 2 * tf, comparedUntil);
  const unattended = await unattendedSpans(db, botId, { from, to });
  const onlySimulated = compared.onlySimulated.map((s) => ({ ...s, botWas: notRunningAt(statusEvents, unattended, s.time) }));
  return { ...compared, onlySimulated, bot: { id: bot.id, name: bot.name, strategy: bot.strategy, params, symbol: bot.symbol, mode: bot.mode }, period: { from, to, comparedUntil, timeframe, candles: candles.length }, simulated: { fills: report.fills.length, fees: report.summary.fees, finalEquity: report.summary.finalEquity, returnPct: report.summary.returnPct }, notes: notesFor(bot.strategy, timeframe) };
}

/** Pairs live and simulated fills (same side, nearest, within `window` ms) and sums the differences; an unpaired live fill after `comparedUntil` is `later`, not compared. */
export function compareFills(live: LiveFill[], simulated: SimFill[], window: number, comparedUntil: number): Pick<Replay, "live" | "matched" | "onlyLive" | "later" | "totals"> & { onlySimulated: MissedSignal[] } {
  const unmatched = [...simulated];
  const matched: Replay["matched"] = [];
  const onlyLive: LiveFill[] = [];
  const later: LiveFill[] = [];
  let slippage = zero;
  for (const l of live) {
    let i = -1;
    for (const [k, s] of unmatched.entries()) {
      const d = Math.abs(s.time - l.time);
      if (s.side === l.side && d <= window && (i < 0 || d < Math.abs(unmatched[i]!.time - l.time))) i = k;
    }
    if (i < 0) {
      (l.time > comparedUntil ? later : onlyLive).push(l);
      continue;
    }
    const s = unmatched.splice(i, 1)[0]!;
    const diff = new Money(l.price).sub(s.price);
    const cost = (l.side === "buy" ? diff : diff.neg()).mul(l.amount);
    slippage = slippage.add(cost);
    matched.push({ live: l, simulated: { time: s.time, side: s.side, price: s.price, amount: s.amount }, priceDifference: diff.toFixed(), slippageQuote: cost.toFixed(8) });
  }
  const compared = [...matched.map((m) => m.live), ...onlyLive];
  const liveFees = compared.reduce((a, l) => a.add(l.feeQuote), zero);
  const simFees = simulated.reduce((a, s) => a.add(s.feeQuote), zero);
  return {
    live: { fills: compared.length, fees: liveFees.toFixed(8) },
    matched,
    onlyLive,
    onlySimulated: unmatched.map((s) => ({ time: s.time, side: s.side, price: s.price, amount: s.amount, reason: s.reason })),
    later,
    totals: { slippageQuote: slippage.toFixed(8), feeDifferenceQuote: liveFees.sub(simFees).toFixed(8), matched: matched.length, onlyLive: onlyLive.length, onlySimulated: unmatched.length, later: later.length },
  };
}

function notesFor(strategy: string, timeframe: string): string[] {
  const notes = ["Simulated market orders fill at the next candle's open; live ones at the book's price when they arrived.", "The simulation starts flat with the bot's starting quote balance and uses its risk limits."];
  if (strategy !== "sma-cross") notes.push(`This strategy decides on every tick live (seconds apart) but once per ${timeframe} candle in the replay: timing differences are expected.`);
  return notes;
}
