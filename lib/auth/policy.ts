/** Session lifetimes and password-attempt throttling, in one place. */
export const sessionPolicy = {
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 60 * 60_000,
  /** lastSeenAt is written at most this often */
  touchEveryMs: 60_000,
  /** password re-entered within this window counts as fresh (SECURITY.md 14) */
  reauthMs: 5 * 60_000,
};

export interface ThrottleRule {
  windowMs: number;
  /** attempts in a window that pass without delay */
  freeAttempts: number;
  /** from then on each attempt blocks the subject for baseDelayMs · 2^(n − freeAttempts), at most maxDelayMs */
  baseDelayMs: number;
  maxDelayMs: number;
  /** after this many attempts in the window the subject is blocked until the window ends */
  maxAttempts: number;
}

const hourMs = 60 * 60_000;

/**
 * SECURITY.md 12 and issue 13. Every password check (login, re-authentication,
 * password change) is charged to two subjects before any argon2 work:
 *  - pair    one account from one client address: the growing delay. An attacker at one address
 *            slows only their own attempts; the owner at another address is not locked out.
 *  - account the account across all addresses: at most 100 attempts an hour.
 * Logins for emails that have no account are charged to their address (unknown).
 */
export const throttlePolicy = {
  pair: { windowMs: hourMs, freeAttempts: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, maxAttempts: 100 },
  account: { windowMs: hourMs, freeAttempts: 100, baseDelayMs: hourMs, maxDelayMs: hourMs, maxAttempts: 100 },
  unknown: { windowMs: hourMs, freeAttempts: 20, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, maxAttempts: 200 },
} satisfies Record<string, ThrottleRule>;

/** How long the `attempts`-th attempt of a window blocks the next one (0 = not at all). */
export function blockDelayMs(rule: ThrottleRule, attempts: number): number {
  if (attempts >= rule.maxAttempts) return rule.windowMs;
  if (attempts < rule.freeAttempts) return 0;
  return Math.min(rule.baseDelayMs * 2 ** (attempts - rule.freeAttempts), rule.maxDelayMs);
}
