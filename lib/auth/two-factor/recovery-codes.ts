/**
 * Recovery codes: ten single-use codes of 50 random bits each, shown once,
 * stored as SHA-256 (high-entropy codes need no slow hash). Using one is a
 * compare-and-swap on its row, so a code cannot be used twice, even at once.
 */
import "server-only";
import { createHash, randomInt } from "node:crypto";
import type { Db } from "../../db/client";

export const recoveryCodeCount = 10;
const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i: read off paper

function hashCode(code: string): string {
  return createHash("sha256").update(normalize(code), "utf8").digest("hex");
}

function normalize(code: string): string {
  return code.toLowerCase().replace(/[\s-]/g, "");
}

export function looksLikeRecoveryCode(input: string): boolean {
  return /^[a-z0-9]{10}$/.test(normalize(input));
}

function newCode(): string {
  const chars = Array.from({ length: 10 }, () => alphabet[randomInt(alphabet.length)]);
  return `${chars.slice(0, 5).join("")}-${chars.slice(5).join("")}`;
}

/** Replaces the user's codes with ten new ones and returns them (the only time they are seen). */
export async function regenerateRecoveryCodes(db: Db, userId: string): Promise<string[]> {
  const codes = Array.from({ length: recoveryCodeCount }, newCode);
  await db.$transaction([db.recoveryCode.deleteMany({ where: { userId } }), db.recoveryCode.createMany({ data: codes.map((c) => ({ userId, codeHash: hashCode(c) })) })]);
  return codes;
}

export async function recoveryCodesLeft(db: Pick<Db, "recoveryCode">, userId: string): Promise<number> {
  return db.recoveryCode.count({ where: { userId, usedAt: null } });
}

/** Uses a code once. Returns how many are left after it, or null when the code is not one of the user's unused codes. */
export async function spendRecoveryCode(db: Db, userId: string, code: string, now: Date): Promise<number | null> {
  if (!looksLikeRecoveryCode(code)) return null;
  const used = await db.recoveryCode.updateMany({ where: { userId, codeHash: hashCode(code), usedAt: null }, data: { usedAt: now } });
  return used.count === 1 ? recoveryCodesLeft(db, userId) : null;
}
