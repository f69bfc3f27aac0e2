/**
 * Integration tests run once per database kind against a real, throwaway
 * database: a fresh SQLite file, and a fresh database on the PostgreSQL at
 * 127.0.0.1:5432 (KEYWARD_PG_ADMIN_URL to point elsewhere). Migrations are
 * applied exactly as on start.
 */
import { afterAll, beforeAll } from "vitest";
import type { DatabaseKind } from "@/lib/db/adapter";
import { createDb, type Db } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrations";
import { createThrowawayDatabase, type Throwaway } from "@/lib/db/throwaway";

export const databaseKinds: DatabaseKind[] = ["sqlite", "postgres"];

export interface TestDatabase {
  url: string;
  db: Db;
}

/** Registers hooks that create, migrate and finally drop a database of `kind`. */
export function useTestDatabase(kind: DatabaseKind): TestDatabase {
  const ctx = {} as TestDatabase;
  let throwaway: Throwaway;
  beforeAll(async () => {
    throwaway = await createThrowawayDatabase(kind);
    await applyMigrations(throwaway.url);
    ctx.url = throwaway.url;
    ctx.db = createDb(throwaway.url);
  });
  afterAll(async () => {
    await ctx.db?.$disconnect();
    await throwaway?.drop();
  });
  return ctx;
}
