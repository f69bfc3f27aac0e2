/**
 * Password-attempt throttling that holds under concurrency (issue 13).
 *
 * An attempt is charged *before* the password is checked, and the decision
 * and the charge are one compare-and-swap on the subject's row: the update
 * only applies if `attempts` and `windowStart` are still what was read. Of 40
 * simultaneous attempts against a subject at its limit exactly one wins the
 * swap and gets its password checked; the others re-read, find the block the
 * winner set, and are refused without argon2 work. A success clears the pair
 * subject (`clearThrottle`); a failure leaves the charge, and so the delay, in place.
 */
import "server-only";
import type { Db } from "../db/client";
import { isUniqueViolation } from "../errors";
import { blockDelayMs, throttlePolicy, type ThrottleRule } from "./policy";

export type Charge = "allowed" | "blocked";

/** Charges one attempt to `subject`; "blocked" when it is blocked now (nothing is charged then). */
export async function chargeAttempt(db: Db, subject: string, rule: ThrottleRule, now = new Date()): Promise<Charge> {
  for (let round = 0; round < 50; round++) {
    const row = await db.authThrottle.findUnique({ where: { subject } });
    if (row?.blockedUntil && row.blockedUntil > now) return "blocked";
    const inWindow = row && now.getTime() - row.windowStart.getTime() < rule.windowMs;
    const attempts = (inWindow ? row.attempts : 0) + 1;
    const windowStart = inWindow ? row.windowStart : now;
    const delay = blockDelayMs(rule, attempts);
    const blockedUntil = delay ? new Date(now.getTime() + delay) : null;
    if (!row) {
      try {
        await db.authThrottle.create({ data: { subject, attempts, windowStart, blockedUntil } });
        return "allowed";
      } catch (err) {
        if (isUniqueViolation(err)) continue; // created concurrently: decide again on its row
        throw err;
      }
    }
    const swapped = await db.authThrottle.updateMany({ where: { subject, attempts: row.attempts, windowStart: row.windowStart }, data: { attempts, windowStart, blockedUntil } });
    if (swapped.count === 1) return "allowed";
    // lost the race: someone else's charge landed first; decide again on the new row
  }
  return "blocked"; // pathological contention: refusing is the safe answer
}

/** After a correct password: the subject starts afresh. */
export async function clearThrottle(db: Db, subject: string): Promise<void> {
  await db.authThrottle.deleteMany({ where: { subject } });
}

/**
 * Charges one sign-in attempt (a password or a second factor: one budget) to
 * the account from this address and to the account; "blocked" when either is.
 */
export async function chargeSignInAttempt(db: Db, userId: string, ip: string | null, now = new Date()): Promise<Charge> {
  if ((await chargeAttempt(db, throttleSubject.pair(userId, ip), throttlePolicy.pair, now)) === "blocked") return "blocked";
  return chargeAttempt(db, throttleSubject.account(userId), throttlePolicy.account, now);
}

export const throttleSubject = {
  pair: (userId: string, ip: string | null) => `pair:${userId}:${ip ?? "unknown"}`,
  account: (userId: string) => `account:${userId}`,
  unknown: (ip: string | null) => `unknown:${ip ?? "unknown"}`,
};
