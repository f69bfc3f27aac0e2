import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");
export const sqliteSchemaPath = path.join(root, "prisma/schema.prisma");
export const postgresSchemaPath = path.join(root, "prisma/postgres/schema.prisma");

/** The PostgreSQL schema: the SQLite one with another provider and client output. */
export function postgresSchemaText(): string {
  const source = readFileSync(sqliteSchemaPath, "utf8");
  const out = source
    .replace(/^(\s*provider\s*=\s*)"sqlite"/m, '$1"postgresql"')
    .replace(/^(\s*output\s*=\s*)"\.\.\/lib\/db\/generated\/sqlite"/m, '$1"../../lib/db/generated/postgres"');
  if (out === source || !out.includes('"postgresql"') || !out.includes("generated/postgres")) {
    throw new Error("prisma/schema.prisma no longer has the provider/output lines lib/cli/prisma-schemas.ts rewrites");
  }
  return "// GENERATED from prisma/schema.prisma by lib/cli/prisma-generate.ts — do not edit.\n" + out;
}
