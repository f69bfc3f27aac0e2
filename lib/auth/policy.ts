/** Session lifetimes and login throttling, in one place. */
export const sessionPolicy = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 60 * 60_000,
  /** lastSeenAt is written at most this often */
  touchEveryMs: 60_000,
  /** password re-entered within this window counts as fresh (SECURITY.md 14) */
  reauthMs: 5 * 60_000,
};

export const throttlePolicy = {
  windowMs: 60 * 60_000,
  /** failures per account per window before the account is blocked until the window ends */
  maxFailures: 100,
  /** from this many failures on, each further failure blocks for a growing delay */
  delayAfter: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
};

/** Block length after `failures` failures in the window (0 = not blocked). */
export function blockDelayMs(failures: number): number {
  if (failures >= throttlePolicy.maxFailures) return throttlePolicy.windowMs;
  if (failures < throttlePolicy.delayAfter) return 0;
  return Math.min(throttlePolicy.baseDelayMs * 2 ** (failures - throttlePolicy.delayAfter), throttlePolicy.maxDelayMs);
}
