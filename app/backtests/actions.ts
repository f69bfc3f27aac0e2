"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction, UserFacingError, withFormErrors } from "@/lib/auth/action";
import { deleteCachedCandles } from "@/lib/backtest/candle-cache";
import type { CandleKey } from "@/lib/backtest/candle-store";
import { askCancelBacktest, backtestFormSchema, deleteBacktest, queueBacktest, queueSweepRun } from "@/lib/backtest/queue";
import { db } from "@/lib/db/client";
import { NotFoundError } from "@/lib/errors";

const form = z.preprocess((raw) => {
  const o = raw as Record<string, unknown>;
  return { ...o, params: Object.fromEntries(Object.entries(o).filter(([k]) => k.startsWith("param.")).map(([k, v]) => [k.slice(6), v])) };
}, backtestFormSchema.extend({ params: z.record(z.string(), z.unknown()) }));

export const queueBacktestAction = authedAction({ role: "operator" }, form, async ({ params, ...input }, { actor }) => {
  const r = await queueBacktest(db(), input, params, actor);
  if (!r.ok) return { error: r.error, fieldErrors: r.fieldErrors };
  revalidatePath("/backtests");
  redirect(`/backtests/${r.id}`);
});

export const cancelBacktestAction = authedAction({ role: "operator" }, z.object({ id: z.string().min(1).max(64) }), async ({ id }) => {
  try {
    await askCancelBacktest(db(), id);
  } catch (err) {
    if (err instanceof NotFoundError) throw new UserFacingError(err.message);
    throw err;
  }
  revalidatePath(`/backtests/${id}`);
  return { ok: true, message: "Cancelling…" };
});

export const deleteBacktestAction = authedAction({ role: "operator" }, z.object({ id: z.string().min(1).max(64) }), async ({ id }, { actor }) => {
  const failed = await withFormErrors(() => deleteBacktest(db(), id, actor));
  if (failed) return failed;
  revalidatePath("/backtests");
  redirect("/backtests");
});

/** One run of a sweep on its own, for its full report. */
export const runSweepRowAction = authedAction({ role: "operator" }, z.object({ id: z.string().min(1).max(64), run: z.coerce.number().int().min(0).max(10_000) }), async ({ id, run }, { actor }) => {
  const queued = await withFormErrors(() => queueSweepRun(db(), id, run, actor));
  if (typeof queued !== "string") return queued;
  revalidatePath("/backtests");
  redirect(`/backtests/${queued}`);
});

/** Deletes one market's cached candles of one timeframe; the next backtest on them downloads them again. */
export const deleteCachedCandlesAction = authedAction({ role: "operator" }, backtestFormSchema.pick({ exchange: true, symbol: true, timeframe: true }), async (key, { actor }) => {
  const deleted = await withFormErrors(() => deleteCachedCandles(db(), key as CandleKey, actor));
  if (typeof deleted !== "number") return deleted;
  revalidatePath("/backtests/candles");
  return { ok: true, message: `Deleted ${deleted} cached ${key.timeframe} candles of ${key.symbol} on ${key.exchange}.` };
});
