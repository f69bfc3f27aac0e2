/**
 * Picks the Prisma driver adapter from a DATABASE_URL: `file:` → SQLite
 * (better-sqlite3), `postgres(ql)://` → PostgreSQL (pg).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { serialSqlite } from "./sqlite-serial";

export type DatabaseKind = "sqlite" | "postgres";

export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgres";
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)");
}

/** Absolute path of a `file:` URL; its directory is created if missing. */
export function sqliteFile(url: string): string {
  const file = path.resolve(/*turbopackIgnore: true*/ url.slice("file:".length).replace(/^\/\/(?=\/)/, ""));
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

export function adapterFactory(url: string): ReturnType<typeof serialSqlite> | PrismaPg {
  if (databaseKind(url) === "sqlite") {
    // timeout: how long a writer waits for SQLite's lock (web and worker share the file).
    return serialSqlite(new PrismaBetterSqlite3({ url: sqliteFile(url), timeout: 10_000 }));
  }
  return new PrismaPg({ connectionString: url, max: 10 });
}

/** A short description of the database that never contains credentials. */
export function describeDatabase(url: string): string {
  if (databaseKind(url) === "sqlite") return `SQLite ${sqliteFile(url)}`;
  const u = new URL(url);
  return `PostgreSQL ${u.hostname}:${u.port || 5432}${u.pathname}`;
}
