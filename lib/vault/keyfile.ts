/**
 * The vault key file: every live private key version, outside the database,
 * mode 0600. WORKER SIDE ONLY (the web process never reads it).
 *
 *   { "format": "keyward-vault-key", "formatVersion": 1,
 *     "keys": [{ "version": 1, "privateKey": b64, "publicKey": b64, "createdAt": iso }] }
 */
import "server-only";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Keyring, KeyVersion } from "./open";
import { privateKeyFromRaw, rawPublic } from "./x25519";

const b64key = z.string().refine((s) => Buffer.from(s, "base64").length === 32, "must be 32 bytes, base64");
const fileSchema = z.object({
  format: z.literal("keyward-vault-key"),
  formatVersion: z.literal(1),
  keys: z.array(z.object({ version: z.number().int().positive(), privateKey: b64key, publicKey: b64key, createdAt: z.string() })).min(1),
});
type KeyFile = z.infer<typeof fileSchema>;
export type KeyFileEntry = KeyFile["keys"][number];

/** Why the vault cannot be used. The message says what to do; nothing is ever deleted. */
export class VaultKeyError extends Error {
  override name = "VaultKeyError";
}

export function keyFileExists(file: string): boolean {
  return existsSync(file);
}

export function readKeyFile(file: string): KeyFileEntry[] {
  let text: string;
  try {
    const st = statSync(file);
    if ((st.mode & 0o077) !== 0) {
      throw new VaultKeyError(`Vault key file ${file} is readable by other users (mode ${(st.mode & 0o777).toString(8)}). Run: chmod 600 ${file}`);
    }
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof VaultKeyError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new VaultKeyError(
        `Vault key file ${file} is missing, but the database already holds secrets sealed to it. Restore the file from your backup (or set KEYWARD_VAULT_KEY_FILE to where it is). Without it the stored exchange secrets cannot be opened. Nothing has been deleted.`,
      );
    }
    throw new VaultKeyError(`Vault key file ${file} cannot be read (${code ?? "error"}). Check its owner and permissions (chmod 600). Nothing has been deleted.`);
  }
  let parsed: KeyFile;
  try {
    parsed = fileSchema.parse(JSON.parse(text));
  } catch {
    throw new VaultKeyError(`Vault key file ${file} is not a Keyward vault key file (damaged or wrong file). Restore it from your backup. Nothing has been deleted.`);
  }
  return parsed.keys;
}

export function keyringFrom(entries: KeyFileEntry[]): Keyring {
  const ring = new Map<number, KeyVersion>();
  for (const e of entries) {
    const publicRaw = Buffer.from(e.publicKey, "base64");
    const privateKey = privateKeyFromRaw(Buffer.from(e.privateKey, "base64"), publicRaw);
    // Node derives the public half from `d`; it must match what the database knows.
    if (!rawPublic(privateKey).equals(publicRaw)) {
      throw new VaultKeyError(`Vault key version ${e.version} in the key file is inconsistent (private and public halves differ). Restore the file from backup.`);
    }
    ring.set(e.version, { version: e.version, privateKey, publicRaw });
  }
  return ring;
}

/** Writes atomically (temp file + rename), mode 0600, creating the directory. */
export function writeKeyFile(file: string, entries: KeyFileEntry[]): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const body: KeyFile = { format: "keyward-vault-key", formatVersion: 1, keys: entries };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(body, null, 2) + "\n", { mode: 0o600, flag: "wx" });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}
