/**
 * The candle cache as users manage it: what is cached, per exchange, symbol
 * and timeframe, and deleting one of those (to free space, or to have an
 * exchange's history downloaded afresh). Downloading and reading are in
 * ./candle-store.ts.
 */
import { appendAudit } from "../audit/append";
import type { Actor } from "../auth/users";
import type { Db } from "../db/client";
import { InvalidInputError, NotFoundError } from "../errors";
import { timeframeMs, type Timeframe } from "../exchange/timeframes";
import { takeTurn, type CandleKey } from "./candle-store";
import type { JobConfig } from "./queue";

export interface CachedCandles extends CandleKey {
  candles: number;
  /** the first candle's open and the last candle's close, ms; null when every candle there was a hole */
  from: number | null;
  to: number | null;
}

const keyOf = (k: { exchange: string; symbol: string; timeframe: string }) => `${k.exchange} ${k.symbol} ${k.timeframe}`;

export async function listCandleCache(db: Db): Promise<CachedCandles[]> {
  const by = ["exchange", "symbol", "timeframe"] as const;
  const [candles, spans] = await Promise.all([
    db.candle.groupBy({ by: [...by], _count: { _all: true }, _min: { openTime: true }, _max: { openTime: true } }),
    db.candleSpan.groupBy({ by: [...by] }),
  ]);
  const rows = new Map<string, CachedCandles>();
  const keyFrom = (r: { exchange: string; symbol: string; timeframe: string }): CandleKey => ({ exchange: r.exchange, symbol: r.symbol, timeframe: r.timeframe as Timeframe });
  for (const s of spans) rows.set(keyOf(s), { ...keyFrom(s), candles: 0, from: null, to: null });
  for (const c of candles) {
    const key = keyFrom(c);
    rows.set(keyOf(key), { ...key, candles: c._count._all, from: c._min.openTime!.getTime(), to: c._max.openTime!.getTime() + timeframeMs[key.timeframe] });
  }
  return [...rows.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

/**
 * Deletes one market's cached candles of one timeframe, with the record of what was downloaded, so the
 * next backtest downloads them afresh. Refused while a queued or running backtest uses them.
 */
export async function deleteCachedCandles(db: Db, key: CandleKey, actor: Actor): Promise<number> {
  const active = await db.backtestJob.findMany({ where: { status: { in: ["queued", "running"] } }, select: { name: true, config: true } });
  const user = active.find((j) => {
    const c = JSON.parse(j.config) as JobConfig;
    return c.source === "exchange" && keyOf(c) === keyOf(key);
  });
  if (user) throw new InvalidInputError(`The backtest "${user.name}" is using these candles: let it finish or cancel it, then delete them.`);
  const [candles, spans] = await db.$transaction(async (tx) => {
    await takeTurn(db, tx, key);
    return [(await tx.candle.deleteMany({ where: key })).count, (await tx.candleSpan.deleteMany({ where: key })).count];
  });
  if (!candles && !spans) throw new NotFoundError(`No ${key.timeframe} candles of ${key.symbol} on ${key.exchange} are cached (any more).`);
  await appendAudit(db, { actor, action: "candles.delete", ip: actor.ip, detail: { ...key, candles } });
  return candles;
}
