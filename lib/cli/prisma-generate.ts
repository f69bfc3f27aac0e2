/**
 * Generates both Prisma clients offline.
 *
 * prisma/schema.prisma (SQLite) is the one source; the PostgreSQL copy differs
 * only in provider and client output. PRISMA_SCHEMA_ENGINE_BINARY=/bin/true keeps
 * the CLI from downloading a schema engine it does not need for `generate`
 * (never set it for migrate commands: they would silently do nothing).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { postgresSchemaPath, postgresSchemaText, sqliteSchemaPath } from "./prisma-schemas";

mkdirSync(path.dirname(postgresSchemaPath), { recursive: true });
writeFileSync(postgresSchemaPath, postgresSchemaText());

const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: "/bin/true", CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
for (const schema of [sqliteSchemaPath, postgresSchemaPath]) {
  execFileSync(process.execPath, [path.resolve(import.meta.dirname, "../../node_modules/prisma/build/index.js"), "generate", "--schema", schema], { stdio: "inherit", env });
}
