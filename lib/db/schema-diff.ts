/**
 * The SQL that would take a database (after the committed migrations) to
 * prisma/schema.prisma. Empty means the migrations and schema agree.
 * Used by `npm run db:migration:create` and the drift test. It applies the
 * committed migrations to `url` first, so pass a throwaway database.
 */
import { readFileSync } from "node:fs";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { adapterFactory, databaseKind } from "./adapter";
import { applyMigrations, schemaFile } from "./migrations";
import { openSchemaEngine } from "./schema-engine";

export async function schemaDiff(url: string): Promise<string> {
  await applyMigrations(url);
  const kind = databaseKind(url);
  const schema = readFileSync(schemaFile[kind], "utf8");
  const pool = kind === "postgres" ? charAsTextPool(url) : undefined;
  const { engine, close } = await openSchemaEngine(schema, pool ? new PrismaPg(pool) : adapterFactory(url));
  try {
    const out = await engine.diff({
      from: { tag: "schemaDatasource", files: [{ path: "schema.prisma", content: schema }], configDir: "." },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    return out.stdout ?? "";
  } finally {
    await close();
    await pool?.end();
  }
}

/**
 * Introspecting PostgreSQL returns `"char"` (oid 18) catalog columns that
 * adapter-pg 7.10 cannot map; report them as text (oid 25), which they are.
 */
function charAsTextPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // The adapter drops its listener for idle connections' errors when the engine closes, before pool.end(): a connection
  // the server ends meanwhile (a throwaway database dropped WITH (FORCE)) must not become an uncaught exception. A query's
  // own error still rejects it.
  pool.on("error", () => undefined);
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (pool as unknown as { query: unknown }).query = async (...args: unknown[]) => {
    const result = await query(...args);
    for (const f of result.fields ?? []) if (f.dataTypeID === 18) f.dataTypeID = 25;
    return result;
  };
  return pool;
}
