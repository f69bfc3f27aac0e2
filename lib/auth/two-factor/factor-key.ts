/**
 * The second-factor key (SECURITY.md 9, 28): seals authenticator-app secrets.
 * The web tier verifies codes, so it must open them — hence a key of its own
 * purpose, never the vault key (which only workers read). 32 random bytes in
 * a file outside the database (KEYWARD_2FA_KEY_FILE, default
 * <data>/second-factor.key), mode 0600, created on first enrolment.
 *
 * Sealed blob: version byte 1 | 12-byte IV | 16-byte tag | ciphertext,
 * AES-256-GCM (lib/vault/aead: fresh IV every time, full tag demanded), with
 * AAD naming format, table, column and row: a secret moved to another row
 * does not open.
 */
import "server-only";
import { randomBytes } from "node:crypto";
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { env } from "../../env";
import { decrypt, encrypt, ivBytes, keyBytes, tagBytes } from "../../vault/aead";

const blobVersion = 1;

export class SecondFactorKeyError extends Error {
  override name = "SecondFactorKeyError";
}

let cached: { file: string; key: Buffer } | undefined;

/** Reads the key, creating it when `create` and it does not exist yet. */
function factorKey(create: boolean): Buffer {
  const file = env().secondFactorKeyFile;
  if (cached?.file === file) return cached.key;
  let key: Buffer;
  try {
    if ((statSync(file).mode & 0o077) !== 0) throw new SecondFactorKeyError(`Second-factor key file ${file} is readable by other users. Run: chmod 600 ${file}`);
    key = Buffer.from(readFileSync(file, "utf8").trim(), "base64");
  } catch (err) {
    if (err instanceof SecondFactorKeyError) throw err;
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw new SecondFactorKeyError(`Second-factor key file ${file} cannot be read. Check its owner and permissions (chmod 600).`);
    if (!create) throw new SecondFactorKeyError(`Second-factor key file ${file} is missing: authenticator apps cannot be checked. Restore it from your backup, or sign in with a passkey or a recovery code, or reset the user's second factor on the host (npm run keyward -- user reset-2fa --email E).`);
    key = randomBytes(keyBytes);
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, key.toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    chmodSync(tmp, 0o600);
    try {
      linkSync(tmp, file); // never replaces a key another process wrote meanwhile: fails if the file exists
    } catch (linkErr) {
      if ((linkErr as NodeJS.ErrnoException).code !== "EEXIST") throw linkErr;
    } finally {
      unlinkSync(tmp);
    }
    cached = undefined;
    return factorKey(false);
  }
  if (key.length !== keyBytes) throw new SecondFactorKeyError(`Second-factor key file ${file} is damaged (not 32 bytes). Restore it from your backup.`);
  cached = { file, key };
  return key;
}

function aad(table: string, column: string, rowId: string): Buffer {
  return Buffer.from(`keyward-2fa-v${blobVersion}|${table}|${column}|${rowId}`);
}

export function sealFactorSecret(secret: Uint8Array, place: { table: string; column: string; rowId: string }): Uint8Array<ArrayBuffer> {
  const s = encrypt(factorKey(true), secret, aad(place.table, place.column, place.rowId));
  return new Uint8Array(Buffer.concat([Buffer.from([blobVersion]), s.iv, s.tag, s.ciphertext]));
}

export function openFactorSecret(blob: Uint8Array, place: { table: string; column: string; rowId: string }): Buffer {
  const b = Buffer.from(blob);
  if (b[0] !== blobVersion || b.length < 1 + ivBytes + tagBytes) throw new SecondFactorKeyError("A second-factor secret is damaged.");
  return decrypt(factorKey(false), { iv: b.subarray(1, 1 + ivBytes), tag: b.subarray(1 + ivBytes, 1 + ivBytes + tagBytes), ciphertext: b.subarray(1 + ivBytes + tagBytes) }, aad(place.table, place.column, place.rowId));
}
