/**
 * Password hashing: argon2id with explicit OWASP parameters (SECURITY.md 10).
 * Hashes below these parameters are upgraded at the next successful login.
 */
import "server-only";
import { hash, verify } from "@node-rs/argon2";

export const argon2Params = { algorithm: 2 /* Algorithm.Argon2id (a const enum, not importable with isolatedModules) */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const minPasswordLength = 12;
export const maxPasswordLength = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, argon2Params);
}

/** Running average of how long one verify takes here, so a refusal without argon2 work can take as long. */
let typicalVerifyMs = 50;

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  const started = performance.now();
  try {
    return await verify(phc, password);
  } catch {
    return false;
  } finally {
    typicalVerifyMs = 0.8 * typicalVerifyMs + 0.2 * (performance.now() - started);
  }
}

/**
 * Waits about as long as a verify takes, without doing argon2 work: a blocked
 * attempt (SECURITY.md 12: no argon2 work while blocked) must not answer
 * faster than an unknown account does (no enumeration by timing).
 */
export async function waitLikeAVerify(): Promise<false> {
  await new Promise((r) => setTimeout(r, typicalVerifyMs * (0.9 + Math.random() * 0.2)));
  return false;
}

/** True when a stored PHC string is weaker than argon2Params (or not argon2id). */
export function needsRehash(phc: string): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
  if (!m) return true;
  return Number(m[1]) < argon2Params.memoryCost || Number(m[2]) < argon2Params.timeCost || Number(m[3]) !== argon2Params.parallelism;
}

let dummy: Promise<string> | undefined;
/**
 * Verifies against a fixed dummy hash so an unknown email costs the same
 * argon2 work as a wrong password (SECURITY.md 11).
 */
export async function burnDummyVerify(password: string): Promise<false> {
  dummy ??= hashPassword("keyward-dummy-password-for-timing");
  await verifyPassword(await dummy, password);
  return false;
}
