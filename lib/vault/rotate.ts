/**
 * Key rotation, after Vault's transit engine: add a version and make it
 * primary, rewrap every sealed value to it (inside this worker-side process;
 * plaintext never leaves it), then retire versions no row uses any more.
 * Retiring a version still in use is refused.
 */
import "server-only";
import type { Db } from "../db/client";
import { readKeyFile, VaultKeyError, writeKeyFile } from "./keyfile";
import { loadVault, newKeyEntry } from "./keyring";
import { openSealed, type Keyring } from "./open";
import { seal } from "./seal";
import { sealedColumns } from "./sealed-columns";

export interface RotationResult {
  newVersion: number;
  rewrapped: number;
  retired: number[];
}

export async function rotateVault(db: Db, file: string): Promise<RotationResult> {
  await loadVault(db, file); // refuses a wrong or missing file before anything changes
  const entries = readKeyFile(file);
  const newVersion = Math.max(...entries.map((e) => e.version)) + 1;
  const entry = newKeyEntry(newVersion);
  // File first: the database must never name a key the file lacks.
  writeKeyFile(file, [...entries, entry]);
  await db.$transaction([
    db.vaultKey.updateMany({ where: { status: "primary" }, data: { status: "active" } }),
    db.vaultKey.create({ data: { version: newVersion, publicKey: entry.publicKey, status: "primary" } }),
  ]);
  const { keyring } = await loadVault(db, file);
  const rewrapped = await rewrapAll(db, keyring, { version: newVersion, publicKey: Buffer.from(entry.publicKey, "base64") });
  const retired: number[] = [];
  for (const e of entries) {
    if ((await retireVersion(db, file, e.version).catch(() => false)) === true) retired.push(e.version);
  }
  return { newVersion, rewrapped, retired };
}

/** Rewraps every ExchangeKey row not yet on `to`. Returns the number of rows rewrapped. */
export async function rewrapAll(db: Db, keyring: Keyring, to: { version: number; publicKey: Buffer }): Promise<number> {
  const rows = await db.exchangeKey.findMany({
    where: { vaultKeyVersion: { not: to.version } },
    select: { id: true, vaultKeyVersion: true, apiKeySealed: true, secretSealed: true, passwordSealed: true },
  });
  let count = 0;
  for (const row of rows) {
    const data: Record<string, Uint8Array<ArrayBuffer> | null> = {};
    for (const column of sealedColumns.ExchangeKey) {
      const blob = row[column];
      if (!blob) continue;
      const ctx = { table: "ExchangeKey", column, rowId: row.id };
      const plain = openSealed(blob, ctx, keyring);
      try {
        data[column] = new Uint8Array(seal(to, plain, ctx));
      } finally {
        plain.fill(0);
      }
    }
    // Only if nobody changed the row meanwhile (e.g. revoked it).
    const res = await db.exchangeKey.updateMany({ where: { id: row.id, vaultKeyVersion: row.vaultKeyVersion }, data: { ...data, vaultKeyVersion: to.version } });
    count += res.count;
  }
  return count;
}

/** Retires a key version: refused while any sealed value still uses it. */
export async function retireVersion(db: Db, file: string, version: number): Promise<true> {
  const key = await db.vaultKey.findUnique({ where: { version } });
  if (!key) throw new VaultKeyError(`There is no vault key version ${version}.`);
  if (key.status === "primary") throw new VaultKeyError(`Vault key version ${version} is the primary key; rotate first.`);
  const inUse = await db.exchangeKey.count({ where: { vaultKeyVersion: version, OR: sealedColumns.ExchangeKey.map((c) => ({ [c]: { not: null } })) } });
  if (inUse > 0) throw new VaultKeyError(`Vault key version ${version} still seals ${inUse} stored key(s); rewrap them first (npm run keyward -- vault rotate).`);
  await db.vaultKey.update({ where: { version }, data: { status: "retired", retiredAt: new Date() } });
  writeKeyFile(file, readKeyFile(file).filter((e) => e.version !== version));
  return true;
}
