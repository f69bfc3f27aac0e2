/**
 * Applies the committed migrations for the database behind a URL, offline,
 * through Prisma's Wasm schema engine. Safe to run on every start: already
 * applied migrations are skipped, and `_prisma_migrations` stays compatible
 * with `prisma migrate deploy`.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { MigrationList } from "@prisma/schema-engine-wasm";
import { adapterFactory, databaseKind, type DatabaseKind } from "./adapter";
import { openSchemaEngine } from "./schema-engine";

const root = path.resolve(import.meta.dirname, "../..");

export const migrationsDir: Record<DatabaseKind, string> = {
  sqlite: path.join(root, "prisma/migrations"),
  postgres: path.join(root, "prisma/migrations-postgres"),
};

export const schemaFile: Record<DatabaseKind, string> = {
  sqlite: path.join(root, "prisma/schema.prisma"),
  postgres: path.join(root, "prisma/postgres/schema.prisma"),
};

/** Reads a migrations folder the way the Prisma CLI hands it to the engine. */
export function readMigrationList(baseDir: string): MigrationList {
  const lockPath = path.join(baseDir, "migration_lock.toml");
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()
    : [];
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: readFileSync(path.join(baseDir, name, "migration.sql"), "utf8") } },
    })),
  };
}

/** Applies pending migrations (only those up to `upTo`, by folder name, when given: upgrade tests); returns the names applied. */
export async function applyMigrations(url: string, opts: { upTo?: string } = {}): Promise<string[]> {
  const kind = databaseKind(url);
  const factory = adapterFactory(url);
  const list = readMigrationList(migrationsDir[kind]);
  if (opts.upTo) list.migrationDirectories = list.migrationDirectories.filter((d) => d.path <= opts.upTo!);
  if (await allApplied(factory, list)) return [];
  const { engine, close } = await openSchemaEngine(readFileSync(schemaFile[kind], "utf8"), factory);
  let applied: string[];
  try {
    const out = await engine.applyMigrations({ migrationsList: list, filters: { externalTables: [], externalEnums: [] } });
    applied = out.appliedMigrationNames;
  } finally {
    await close();
  }
  if (kind === "sqlite") await enableWal(factory);
  return applied;
}

/** True when every committed migration is recorded as finished (the common case: skip the engine). */
async function allApplied(factory: ReturnType<typeof adapterFactory>, list: MigrationList): Promise<boolean> {
  const adapter = await factory.connect();
  try {
    const rows = await adapter.queryRaw({ sql: 'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL', args: [], argTypes: [] });
    const done = new Set(rows.rows.map((r) => String(r[0])));
    return list.migrationDirectories.every((d) => done.has(d.path));
  } catch {
    return false; // no migrations table yet
  } finally {
    await adapter.dispose();
  }
}

/** WAL is a property of the SQLite file: set once, every later connection uses it. */
async function enableWal(factory: ReturnType<typeof adapterFactory>): Promise<void> {
  const adapter = await factory.connect();
  try {
    await adapter.executeScript("PRAGMA journal_mode = WAL;");
  } finally {
    await adapter.dispose();
  }
}
