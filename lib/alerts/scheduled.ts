/**
 * Alerts raised by the clock (the worker checks every minute): keys that
 * expire within 7 days and within 1 day, and the daily summary of the UTC day
 * that just ended. Dedupe keys make each one once per channel, whichever
 * worker raises it.
 */
import { Decimal } from "decimal.js";
import type { Db } from "../db/client";
import { latestBalances, onePerAccount } from "../bot-settings/balances";
import { alertEvents } from "./catalog";
import { keyLabel } from "./event-pass";
import { raiseAlert, waitingChannels } from "./raise";
import { utcMinute } from "../utc";

const dayMs = 86_400_000;

export async function expiringKeys(db: Db, now = new Date()): Promise<number> {
  const keys = await db.exchangeKey.findMany({ where: { status: "active", expiresAt: { gt: now, lte: new Date(now.getTime() + 7 * dayMs) } }, select: { id: true, label: true, maskedKeyId: true, expiresAt: true } });
  let raised = 0;
  for (const k of keys) {
    const left = k.expiresAt!.getTime() - now.getTime();
    const stage = left <= dayMs ? "1d" : "7d";
    const when = left <= dayMs ? `in ${Math.max(1, Math.round(left / 3_600_000))} hour(s)` : `in ${Math.ceil(left / dayMs)} days`;
    raised += await raiseAlert(db, {
      event: "key.expiring", severity: alertEvents["key.expiring"].severity, subject: { type: "key", id: k.id, label: keyLabel(k) },
      message: `Key "${k.label}" expires ${when} (${utcMinute(k.expiresAt!)}). Create a new key on the exchange and rotate the bot to it.`,
      link: "/keys", dedupeKey: `key.expiring:${k.id}:${k.expiresAt!.toISOString()}:${stage}`, occurredAt: now,
    }, { now });
  }
  return raised;
}

/** Once a day, after 00:00 UTC: each bot's PnL over the day that ended, and the balances last seen, to the channels that existed that day. */
export async function dailySummary(db: Db, now = new Date()): Promise<number> {
  const dayEnd = new Date(Math.floor(now.getTime() / dayMs) * dayMs);
  const dayStart = new Date(dayEnd.getTime() - dayMs);
  const date = dayStart.toISOString().slice(0, 10);
  const dedupeKey = `daily.summary:${date}`;
  // the summary is built only when a channel still waits for it; a channel added since the day ended waits for the next one
  const waiting = await waitingChannels(db, "daily.summary", dedupeKey, { createdBefore: dayEnd });
  if (!waiting.length) return 0;

  const bots = await db.bot.findMany({ where: { deletedAt: null, createdAt: { lt: dayEnd } }, select: { id: true, name: true, symbol: true, mode: true, status: true }, orderBy: { name: "asc" } });
  const lines: string[] = [];
  const byQuote = new Map<string, Decimal>();
  const balances = new Map<string, Decimal>();
  for (const b of bots) {
    const [atEnd, atStart] = await Promise.all([
      db.botPnlPoint.findFirst({ where: { botId: b.id, at: { lte: dayEnd } }, orderBy: { at: "desc" }, select: { totalPnl: true } }),
      db.botPnlPoint.findFirst({ where: { botId: b.id, at: { lte: dayStart } }, orderBy: { at: "desc" }, select: { totalPnl: true } }),
    ]);
    const quote = b.symbol.split("/")[1] ?? "";
    const pnl = new Decimal(atEnd?.totalPnl ?? 0).sub(atStart?.totalPnl ?? 0);
    byQuote.set(quote, (byQuote.get(quote) ?? new Decimal(0)).add(pnl));
    lines.push(`${b.name} (${b.mode}, ${b.status}): ${pnl.toFixed(2)} ${quote}`);
  }
  for (const account of onePerAccount(await latestBalances(db, { paper: false })).accounts) {
    for (const b of account.balances) balances.set(b.currency, (balances.get(b.currency) ?? new Decimal(0)).add(b.total));
  }
  const totals = [...byQuote].map(([q, v]) => `${v.toFixed(2)} ${q}`).join(", ") || "no bots";
  const held = [...balances].filter(([, v]) => !v.isZero()).map(([a, v]) => `${a} ${v.toString()}`).join(", ") || "none recorded";
  const message = `PnL on ${date} (UTC): ${totals}.\nLive balances (latest): ${held}.\n${lines.slice(0, 50).join("\n")}${lines.length > 50 ? `\n… and ${lines.length - 50} more bots.` : ""}`;
  return raiseAlert(db, { event: "daily.summary", severity: "info", subject: { type: "system", id: null, label: `Daily summary ${date}` }, message, link: "/", dedupeKey, occurredAt: dayEnd }, { now, channelIds: waiting });
}
