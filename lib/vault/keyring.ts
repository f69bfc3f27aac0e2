/**
 * Worker side: load (or, on the very first start, create) the vault key file
 * and check it against the public keys the database knows.
 *
 * - No key in the database and no file → first start: create the file (0600)
 *   with version 1, publish its public key, and say where the file is.
 * - Database has keys but the file is missing, unreadable, damaged, or holds
 *   different keys → VaultKeyError with what to do. Nothing is deleted.
 */
import "server-only";
import type { Db } from "../db/client";
import { keyFileExists, keyringFrom, readKeyFile, VaultKeyError, writeKeyFile, type KeyFileEntry } from "./keyfile";
import type { Keyring } from "./open";
import { generateX25519 } from "./x25519";

export interface VaultStatus {
  keyring: Keyring;
  created: boolean;
}

export function newKeyEntry(version: number): KeyFileEntry {
  const { privateRaw, publicRaw } = generateX25519();
  return { version, privateKey: privateRaw.toString("base64"), publicKey: publicRaw.toString("base64"), createdAt: new Date().toISOString() };
}

export async function loadVault(db: Db, file: string, say: (msg: string) => void = () => {}): Promise<VaultStatus> {
  const known = await db.vaultKey.findMany({ orderBy: { version: "asc" } });
  const live = known.filter((k) => k.status !== "retired");

  if (!keyFileExists(file) && known.length === 0) {
    const entry = newKeyEntry(1);
    writeKeyFile(file, [entry]);
    await db.vaultKey.create({ data: { version: 1, publicKey: entry.publicKey, status: "primary" } });
    say(
      `Created the vault key at ${file} (mode 0600). It is the only way to open the exchange secrets Keyward stores: back it up somewhere safe and separate from the database. If it is lost, every stored secret is lost with it.`,
    );
    return { keyring: keyringFrom([entry]), created: true };
  }

  const entries = readKeyFile(file); // throws a VaultKeyError with guidance when missing/unreadable/damaged
  const byVersion = new Map(entries.map((e) => [e.version, e]));
  for (const k of live) {
    const e = byVersion.get(k.version);
    if (!e) throw new VaultKeyError(`Vault key file ${file} lacks key version ${k.version}, which the database uses. It is the wrong or an outdated file: restore the current one. Nothing has been deleted.`);
    if (e.publicKey !== k.publicKey) throw new VaultKeyError(`Vault key file ${file} does not belong to this database (key version ${k.version} differs). Point KEYWARD_VAULT_KEY_FILE at the right file. Nothing has been deleted.`);
  }
  // A file with keys the database has not seen (e.g. a new database): publish them.
  for (const e of entries) {
    if (!known.some((k) => k.version === e.version)) {
      await db.vaultKey.create({ data: { version: e.version, publicKey: e.publicKey, status: "active" } });
    }
  }
  if (!(await db.vaultKey.findFirst({ where: { status: "primary" } }))) {
    const newest = Math.max(...entries.map((e) => e.version));
    await db.vaultKey.update({ where: { version: newest }, data: { status: "primary" } });
  }
  return { keyring: keyringFrom(entries), created: false };
}
