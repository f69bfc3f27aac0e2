/**
 * One rate budget per exchange per host. Exchanges limit requests by IP, not
 * by key, so every ccxt instance for one exchange in this process shares the
 * first instance's throttler (ccxt's token bucket): fifty bots on one
 * exchange wait in one queue instead of each spending the whole budget.
 * (Across several worker processes on one host each process has its own
 * budget; keep one worker per host per exchange-heavy workload.)
 */
import type { Exchange } from "ccxt";

const budgets = new Map<string, unknown>();

export function shareRateBudget(ex: Exchange, key: string): void {
  const e = ex as unknown as { throttler: unknown };
  const existing = budgets.get(key);
  if (existing) e.throttler = existing;
  else budgets.set(key, e.throttler);
}

interface Throttler {
  config: { tokens: number; capacity: number };
  queue: unknown[];
  queueHead?: number;
}

/** Each shared budget's use (metrics): how much of the bucket is spent, and how many requests wait for it. */
export function rateBudgets(): { exchange: string; usedRatio: number; queued: number }[] {
  return [...budgets].map(([key, t]) => {
    const { config, queue, queueHead = 0 } = t as Throttler;
    const capacity = config.capacity || 1;
    return { exchange: key.split("@")[0]!, usedRatio: Math.max(0, (capacity - config.tokens) / capacity), queued: Math.max(0, queue.length - queueHead) };
  });
}

/** For tests: whether two instances draw from the same budget. */
export function sameBudget(a: Exchange, b: Exchange): boolean {
  return (a as unknown as { throttler: unknown }).throttler === (b as unknown as { throttler: unknown }).throttler;
}
