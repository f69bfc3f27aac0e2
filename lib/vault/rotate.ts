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
import { sealedColumns, type SealedTable } from "./sealed-columns";

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

type Blobs = Record<string, Uint8Array<ArrayBuffer> | null>;
/** The few calls rotation makes on any table with sealed columns. */
interface SealedTableAccess {
  findMany(args: { where: object; select: Record<string, true> }): Promise<Array<{ id: string; vaultKeyVersion: number | null } & Blobs>>;
  updateMany(args: { where: object; data: object }): Promise<{ count: number }>;
  count(args: { where: object }): Promise<number>;
}

function access(db: Db, table: SealedTable): SealedTableAccess {
  const delegates = { ExchangeKey: db.exchangeKey, AlertChannel: db.alertChannel };
  return delegates[table] as unknown as SealedTableAccess;
}

const tables = Object.keys(sealedColumns) as SealedTable[];

/** Rewraps every sealed row (exchange keys, alert channel secrets) not yet on `to`. Returns the number of rows rewrapped. */
export async function rewrapAll(db: Db, keyring: Keyring, to: { version: number; publicKey: Buffer }): Promise<number> {
  let count = 0;
  for (const table of tables) {
    const columns = sealedColumns[table];
    const rows = await access(db, table).findMany({
      where: { vaultKeyVersion: { not: to.version } },
      select: Object.fromEntries(["id", "vaultKeyVersion", ...columns].map((c) => [c, true])),
    });
    for (const row of rows) {
      const data: Blobs = {};
      for (const column of columns) {
        const blob = row[column];
        if (!blob) continue;
        const ctx = { table, column, rowId: row.id };
        const plain = openSealed(blob, ctx, keyring);
        try {
          data[column] = new Uint8Array(seal(to, plain, ctx));
        } finally {
          plain.fill(0);
        }
      }
      // Only if nobody changed the row meanwhile (e.g. revoked it).
      const res = await access(db, table).updateMany({ where: { id: row.id, vaultKeyVersion: row.vaultKeyVersion }, data: { ...data, vaultKeyVersion: to.version } });
      count += res.count;
    }
  }
  return count;
}

/** Retires a key version: refused while any sealed value still uses it. */
export async function retireVersion(db: Db, file: string, version: number): Promise<true> {
  const key = await db.vaultKey.findUnique({ where: { version } });
  if (!key) throw new VaultKeyError(`There is no vault key version ${version}.`);
  if (key.status === "primary") throw new VaultKeyError(`Vault key version ${version} is the primary key; rotate first.`);
  let inUse = 0;
  for (const table of tables) inUse += await access(db, table).count({ where: { vaultKeyVersion: version, OR: sealedColumns[table].map((c) => ({ [c]: { not: null } })) } });
  if (inUse > 0) throw new VaultKeyError(`Vault key version ${version} still seals ${inUse} stored secret(s); rewrap them first (npm run keyward -- vault rotate).`);
  await db.vaultKey.update({ where: { version }, data: { status: "retired", retiredAt: new Date() } });
  writeKeyFile(file, readKeyFile(file).filter((e) => e.version !== version));
  return true;
}
