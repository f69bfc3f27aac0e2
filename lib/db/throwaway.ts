/**
 * Throwaway databases for tests and migration tooling: a fresh SQLite file in
 * a temp directory, or a fresh PostgreSQL database that is dropped afterwards.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import type { DatabaseKind } from "./adapter";

export const pgAdminUrl = process.env.KEYWARD_PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export interface Throwaway {
  url: string;
  drop(): Promise<void>;
}

export async function createThrowawayDatabase(kind: DatabaseKind): Promise<Throwaway> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(path.join(os.tmpdir(), "keyward-db-"));
    return { url: `file:${path.join(dir, "test.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `keyward_t_${Date.now()}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export async function withThrowawayDatabase<T>(kind: DatabaseKind, fn: (url: string) => Promise<T>): Promise<T> {
  const db = await createThrowawayDatabase(kind);
  try {
    return await fn(db.url);
  } finally {
    await db.drop();
  }
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgAdminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
