/**
 * Authenticator apps (RFC 6238 TOTP) through `otpauth`: SHA-1, 6 digits,
 * 30 s steps, one step of drift either way. A code is accepted once: the
 * accepted step is stored and a compare-and-swap refuses that step or an older
 * one afterwards, also when the same code arrives twice at the same moment.
 */
import "server-only";
import { randomUUID } from "node:crypto";
import { Secret, TOTP } from "otpauth";
import QRCode from "qrcode";
import type { Db } from "../../db/client";
import { openFactorSecret, sealFactorSecret } from "./factor-key";

export const totpParams = { algorithm: "SHA1", digits: 6, period: 30, window: 1 } as const;
const place = (rowId: string) => ({ table: "TotpFactor", column: "secretSealed", rowId });

/** The step a code belongs to (within ±window steps of `atMs`), or null. The one verify path, vectors included. */
export function matchingStep(secret: Uint8Array, code: string, atMs: number, digits: number = totpParams.digits): number | null {
  const token = code.replace(/\s/g, "");
  if (!new RegExp(`^\\d{${digits}}$`).test(token)) return null;
  const totp = new TOTP({ secret: new Secret({ buffer: Uint8Array.from(secret).buffer }), algorithm: totpParams.algorithm, digits, period: totpParams.period });
  const delta = totp.validate({ token, timestamp: atMs, window: totpParams.window });
  return delta === null ? null : Math.floor(atMs / 1000 / totpParams.period) + delta;
}

export interface TotpEnrolment {
  /** base32, for typing into an app by hand */
  secret: string;
  uri: string;
  /** PNG data URL of the otpauth:// URI */
  qr: string;
}

/** Starts (or restarts) enrolment: a fresh secret in an unconfirmed row. Refused when one is already confirmed. */
export async function startTotpEnrolment(db: Db, user: { id: string; email: string }): Promise<TotpEnrolment | "already-enabled"> {
  const existing = await db.totpFactor.findUnique({ where: { userId: user.id }, select: { confirmedAt: true } });
  if (existing?.confirmedAt) return "already-enabled";
  const secret = new Secret({ size: 20 });
  const id = randomUUID();
  await db.totpFactor.deleteMany({ where: { userId: user.id, confirmedAt: null } });
  await db.totpFactor.create({ data: { id, userId: user.id, secretSealed: sealFactorSecret(new Uint8Array(secret.buffer), place(id)) } });
  const uri = new TOTP({ issuer: "Keyward", label: user.email, secret, algorithm: totpParams.algorithm, digits: totpParams.digits, period: totpParams.period }).toString();
  return { secret: secret.base32, uri, qr: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
}

async function factorRow(db: Db, userId: string) {
  return db.totpFactor.findUnique({ where: { userId }, omit: { secretSealed: false } });
}

/**
 * Checks a code against the user's authenticator and, when it matches a step
 * newer than the last accepted one, takes that step. `confirm`: the row may
 * still be unconfirmed (enrolment) and is switched on by this code.
 */
export async function acceptTotpCode(db: Db, userId: string, code: string, now: Date, opts: { confirm?: boolean } = {}): Promise<boolean> {
  const row = await factorRow(db, userId);
  if (!row || (!row.confirmedAt && !opts.confirm) || (row.confirmedAt && opts.confirm)) return false;
  const step = matchingStep(new Uint8Array(openFactorSecret(row.secretSealed, place(row.id))), code, now.getTime());
  if (step === null || step <= row.lastStep) return false;
  const taken = await db.totpFactor.updateMany({
    where: { id: row.id, lastStep: { lt: step } },
    data: { lastStep: step, lastUsedAt: now, ...(opts.confirm ? { confirmedAt: now } : {}) },
  });
  return taken.count === 1;
}
