import "server-only";
import { requireUser } from "../auth/request";
import { latestBalances, onePerAccount } from "../bot-settings/balances";
import { toEventDTO, toOrderDTO, type EventDTO, type OrderDTO } from "../bot-settings/dto";
import { db } from "../db/client";
import { Money, str, zero } from "../money";
import { staleHeartbeatMs } from "./health";
import { refusalWarnings, refusalWindowMs } from "./refusal-warnings";
import { workerWarnings, type Warning, type WorkerRow } from "./worker-warnings";
import { latestEventId } from "./live";
import { webMarket } from "./market";
import { ShortCache } from "../short-cache";

/** Which bots the overview counts: all, only live ones, only paper ones. */
export const modeFilters = ["all", "live", "paper"] as const;
export type ModeFilter = (typeof modeFilters)[number];

export interface PnlTotals {
  quote: string;
  today: string;
  week: string;
  total: string;
  bots: number;
}

export interface BalanceTotal {
  asset: string;
  total: string;
  /** in the quote currency; null when no price is known */
  value: string | null;
  /** exchange accounts (or paper accounts) holding the asset */
  accounts: number;
  /** the oldest snapshot that went into the total */
  asOf: Date;
}

export interface BalanceTotals {
  quote: string;
  rows: BalanceTotal[];
  totalValue: string;
  unpriced: string[];
  paper: boolean;
  /** live keys whose exchange does not name their account, each counted as an account of its own */
  unknownAccounts: number;
}

export interface Overview {
  mode: ModeFilter;
  since: number;
  botsByStatus: { status: string; count: number }[];
  bots: number;
  errorEventsToday: number;
  pnl: PnlTotals[];
  openOrders: { count: number; newest: (OrderDTO & { botId: string; botName: string })[] };
  recentEvents: (EventDTO & { botName: string | null })[];
  warnings: Warning[];
  keys: { active: number };
  workers: WorkerRow[];
}

const day = 86_400_000;
const activeStatuses = ["starting", "running", "pausing", "paused", "stopping"];

/**
 * Every bot at once: statuses, PnL, open orders, recent events and what needs
 * attention. Built at most once a second per filter and shared by everyone
 * watching (the page re-renders on events, at most every 2 s per viewer); a
 * newer event than an answer's makes a new one, so a re-render shows it.
 */
export async function overview(mode: ModeFilter = "all"): Promise<Overview> {
  await requireUser("viewer");
  const since = await latestEventId();
  return overviews.get(db(), mode, () => buildOverview(mode, since), since);
}

const overviews = new ShortCache<Overview>(1000);

/** Bookkeeping each order and balance read makes, many a minute for a market maker: on each bot's page, not among the overview's recent events (a warning of these kinds, an order whose answer was lost, stays). */
const routine = { kind: { in: ["order.update", "balance"] }, level: "info" };

async function buildOverview(mode: ModeFilter, since: number): Promise<Overview> {
  const which = { deletedAt: null, ...(mode === "all" ? {} : { mode }) };
  const ofBots = mode === "all" ? {} : { bot: which };
  const bots = await db().bot.findMany({ where: which, select: { id: true, name: true, status: true, statusSince: true, symbol: true, pnl: true, positionSince: true, statusMessage: true, lastError: true, lastErrorAt: true } });
  const names = new Map(bots.map((b) => [b.id, b.name]));
  const [errorEventsToday, pnl, openCount, openNewest, events, workers, warnings, active, refusals] = await Promise.all([
    db().botEvent.count({ where: { level: "error", createdAt: { gte: new Date(Date.now() - day) }, ...ofBots } }),
    pnlTotals(bots),
    db().order.count({ where: { status: { in: ["pending", "open"] }, bot: which } }),
    db().order.findMany({ where: { status: { in: ["pending", "open"] }, bot: which }, orderBy: { createdAt: "desc" }, take: 10 }),
    db().botEvent.findMany({ where: { ...ofBots, NOT: routine }, orderBy: { id: "desc" }, take: 15 }),
    workerRows(),
    keyWarnings(),
    db().exchangeKey.count({ where: { status: "active" } }),
    // warn-level events of the last hour are few (the index on level and time finds them); refusals are recorded once a minute per reason
    db().botEvent.findMany({ where: { level: "warn", kind: "risk.refused", createdAt: { gte: new Date(Date.now() - refusalWindowMs) }, ...ofBots }, orderBy: { id: "desc" }, take: 1000, select: { botId: true, message: true } }),
  ]);
  const byStatus = new Map<string, number>();
  for (const b of bots) byStatus.set(b.status, (byStatus.get(b.status) ?? 0) + 1);
  const inError = bots.filter((b) => b.status === "error");
  const botWarnings: Warning[] = inError.map((b) => ({ level: "error", message: `Bot "${b.name}" is in error: ${b.statusMessage ?? b.lastError ?? "see its page"}`, href: `/bots/${b.id}` }));
  // its ticks fail now: the error it retries came after its status (the runner clears it once a tick goes through)
  const retrying = bots.filter((b) => activeStatuses.includes(b.status) && b.lastError && b.lastErrorAt && b.lastErrorAt > b.statusSince);
  botWarnings.push(...retrying.map((b) => ({ level: "warn" as const, message: `Bot "${b.name}" cannot trade right now: ${b.lastError}`, href: `/bots/${b.id}` })));
  const wantsWorker = bots.some((b) => activeStatuses.includes(b.status));
  return {
    mode,
    since,
    bots: bots.length,
    botsByStatus: [...byStatus].map(([status, count]) => ({ status, count })).sort((a, b) => b.count - a.count),
    errorEventsToday,
    pnl,
    openOrders: { count: openCount, newest: openNewest.map((o) => ({ ...toOrderDTO(o), botId: o.botId, botName: names.get(o.botId) ?? "?" })) },
    recentEvents: events.map((e) => ({ ...toEventDTO(e), botName: e.botId ? (names.get(e.botId) ?? null) : null })),
    warnings: [...botWarnings, ...workerWarnings(workers, wantsWorker), ...refusalWarnings(refusals, bots), ...warnings],
    keys: { active },
    workers,
  };
}

/**
 * PnL per quote currency: today and total from each bot's summary; 7 days is
 * the total now less the total at the last equity point before 7 days ago
 * (zero for a bot that did not exist then, or has changed its symbol or mode
 * since: its PnL started again).
 */
async function pnlTotals(bots: { id: string; symbol: string; pnl: string; positionSince: Date | null }[]): Promise<PnlTotals[]> {
  const weekAgo = new Date(Date.now() - 7 * day);
  const sameRun = bots.filter((b) => !b.positionSince || b.positionSince <= weekAgo);
  const last = await db().botPnlPoint.groupBy({ by: ["botId"], where: { botId: { in: sameRun.map((b) => b.id) }, at: { lte: weekAgo } }, _max: { at: true } });
  const then = last.length ? await db().botPnlPoint.findMany({ where: { OR: last.map((l) => ({ botId: l.botId, at: l._max.at! })) }, select: { botId: true, totalPnl: true } }) : [];
  const thenByBot = new Map(then.map((p) => [p.botId, p.totalPnl]));
  const byQuote = new Map<string, { today: Money; week: Money; total: Money; bots: number }>();
  for (const b of bots) {
    const p = JSON.parse(b.pnl || "{}") as { dailyPnl?: string; totalPnl?: string | null; realizedPnl?: string };
    const total = p.totalPnl ?? p.realizedPnl;
    if (total === undefined || total === null) continue;
    const quote = b.symbol.split("/")[1]!;
    const t = byQuote.get(quote) ?? { today: zero, week: zero, total: zero, bots: 0 };
    byQuote.set(quote, { today: t.today.add(p.dailyPnl ?? 0), week: t.week.add(new Money(total).sub(thenByBot.get(b.id) ?? 0)), total: t.total.add(total), bots: t.bots + 1 });
  }
  return [...byQuote].map(([quote, t]) => ({ quote, today: str(t.today), week: str(t.week), total: str(t.total), bots: t.bots }));
}

/**
 * Each asset's total over the accounts' latest balance snapshots (exchange
 * accounts, each counted once however many bots' keys it has, or the paper
 * accounts), valued in the bots' most common quote currency: at a
 * bot's last price for its base, else at the exchange's ticker (which may
 * take a while when the exchange is slow: the page loads it on its own).
 */
export async function overviewBalances(mode: ModeFilter = "all"): Promise<BalanceTotals> {
  await requireUser("viewer");
  return balanceTotals.get(db(), mode, () => buildBalances(mode), await latestEventId());
}

const balanceTotals = new ShortCache<BalanceTotals>(1000);

async function buildBalances(mode: ModeFilter): Promise<BalanceTotals> {
  const paper = mode === "paper";
  const bots = await db().bot.findMany({ where: { deletedAt: null, ...(mode === "all" ? {} : { mode }) }, select: { symbol: true, pnl: true } });
  const quoteCounts = new Map<string, number>();
  for (const b of bots) quoteCounts.set(b.symbol.split("/")[1]!, (quoteCounts.get(b.symbol.split("/")[1]!) ?? 0) + 1);
  const quote = [...quoteCounts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "USDT";
  const byAsset = new Map<string, { total: Money; accounts: number; asOf: Date; exchange: string }>();
  const { accounts, unknownAccounts } = onePerAccount(await latestBalances(db(), { paper }));
  for (const account of accounts) {
    for (const b of account.balances) {
      const a = byAsset.get(b.currency) ?? { total: zero, accounts: 0, asOf: new Date(account.takenAt), exchange: account.exchange };
      a.total = a.total.add(b.total);
      a.accounts++;
      if (new Date(account.takenAt) < a.asOf) a.asOf = new Date(account.takenAt);
      byAsset.set(b.currency, a);
    }
  }
  const botPrices = new Map<string, string>();
  for (const b of bots) {
    const [base, q] = b.symbol.split("/");
    const last = (JSON.parse(b.pnl || "{}") as { lastPrice?: string }).lastPrice;
    if (q === quote && last) botPrices.set(base!, last);
  }
  const price = async (asset: string, exchange: string): Promise<string | null> => {
    if (asset === quote) return "1";
    if (botPrices.has(asset)) return botPrices.get(asset)!;
    try {
      return (await webMarket().ticker(exchange, `${asset}/${quote}`)).last;
    } catch {
      return null; // no such market, or the exchange is away
    }
  };
  const totals = await Promise.all(
    [...byAsset].filter(([, a]) => !a.total.isZero()).map(async ([asset, a]) => {
      const p = await price(asset, a.exchange);
      return { asset, total: str(a.total), value: p === null ? null : str(a.total.mul(p).toDecimalPlaces(2)), accounts: a.accounts, asOf: a.asOf };
    }),
  );
  totals.sort((x, y) => new Money(y.value ?? 0).cmp(x.value ?? 0));
  return { quote, rows: totals, totalValue: str(totals.reduce((s, t) => s.add(t.value ?? 0), zero)), unpriced: totals.filter((t) => t.value === null).map((t) => t.asset), paper, unknownAccounts };
}

/** Keys that can withdraw, are not IP-restricted, or expire within two weeks (or have). */
async function keyWarnings(): Promise<Warning[]> {
  const soon = new Date(Date.now() + 14 * day);
  const keys = await db().exchangeKey.findMany({ where: { status: "active", OR: [{ canWithdraw: true }, { canTransfer: true }, { ipRestricted: false }, { expiresAt: { lte: soon } }] }, select: { label: true, canWithdraw: true, canTransfer: true, ipRestricted: true, expiresAt: true } });
  const out: Warning[] = [];
  for (const k of keys) {
    if (k.canWithdraw) out.push({ level: "error", message: `Key "${k.label}" can withdraw funds: remove that permission on the exchange.`, href: "/keys" });
    if (k.canTransfer && !k.canWithdraw) out.push({ level: "error", message: `Key "${k.label}" can transfer funds between wallets or sub-accounts, outside its bot's limits: remove that permission on the exchange.`, href: "/keys" });
    if (!k.ipRestricted) out.push({ level: "warn", message: `Key "${k.label}" is not restricted to this server's IP address.`, href: "/keys" });
    if (k.expiresAt && k.expiresAt <= soon) {
      const days = Math.ceil((k.expiresAt.getTime() - Date.now()) / day);
      out.push({ level: days <= 0 ? "error" : "warn", message: days <= 0 ? `Key "${k.label}" has expired: create a new one and rotate it onto its bot.` : `Key "${k.label}" expires in ${days} day(s): create a new one and rotate it onto its bot.`, href: "/keys" });
    }
  }
  return out;
}

/** Each worker with how many bots it runs and how old its heartbeat is. */
async function workerRows(): Promise<Overview["workers"]> {
  const [beats, counts] = await Promise.all([
    db().workerHeartbeat.findMany({ orderBy: { startedAt: "asc" }, select: { workerId: true, host: true, lastBeatAt: true } }),
    db().bot.groupBy({ by: ["workerId"], where: { deletedAt: null, workerId: { not: null }, status: { in: activeStatuses } }, _count: { _all: true } }),
  ]);
  const now = Date.now();
  return beats.map((b) => {
    const age = Math.max(0, now - b.lastBeatAt.getTime());
    return { workerId: b.workerId, host: b.host, bots: counts.find((c) => c.workerId === b.workerId)?._count._all ?? 0, heartbeatAgeMs: age, stale: age > staleHeartbeatMs };
  });
}
