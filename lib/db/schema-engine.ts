/**
 * Prisma's official Wasm schema engine, loaded by hand.
 *
 * The CLI's native engine is a download this machine cannot make, so
 * migrations run through @prisma/schema-engine-wasm driven by our own driver
 * adapter. It writes `_prisma_migrations` exactly as `prisma migrate deploy`
 * does. Node 20 cannot import the package entry (it imports a .wasm as a
 * module), so we instantiate schema_engine_bg.wasm ourselves.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

let loaded: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package's exports map hides the .wasm file; find it beside the glue module.
    const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
    const { instance } = await WebAssembly.instantiate(await readFile(wasmPath), { "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loaded;
}

export type EngineLog = (line: string) => void;

export interface OpenEngine {
  engine: SchemaEngine;
  /** Frees the engine and disposes every connection it opened (`free()` alone leaves them open). */
  close(): Promise<void>;
}

/** Opens an engine over `factory`. Always `close()` it. */
export async function openSchemaEngine(schemaText: string, factory: SqlMigrationAwareDriverAdapterFactory, log: EngineLog = () => {}): Promise<OpenEngine> {
  await loadWasm();
  const opened: SqlDriverAdapter[] = [];
  const track = async (connect: () => Promise<SqlDriverAdapter>) => {
    const adapter = withoutExclusiveLock(await connect());
    opened.push(adapter);
    return adapter;
  };
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: () => track(() => factory.connect()),
    connectToShadowDb: () => track(() => factory.connectToShadowDb()),
  };
  const SchemaEngineClass = (bg as unknown as { SchemaEngine: { new: typeof SchemaEngine.new } }).SchemaEngine;
  const engine = await SchemaEngineClass.new({ datamodels: [["schema.prisma", schemaText]] }, (line: string) => log(line), bindMigrationAwareSqlAdapterFactory(tracking));
  return {
    engine,
    async close() {
      engine.free();
      await Promise.all(opened.splice(0).map((a) => a.dispose()));
    },
  };
}

/**
 * The engine starts SQLite work with `PRAGMA main.locking_mode=EXCLUSIVE`. In
 * WAL mode that lock cannot be had while any other connection is open (the
 * web server, another worker), so a migration would wait and fail with
 * SQLITE_BUSY. We drop that one statement: each migration still runs in its
 * own transaction, which is all the isolation SQLite DDL needs here.
 */
function withoutExclusiveLock(adapter: SqlDriverAdapter): SqlDriverAdapter {
  if (adapter.provider !== "sqlite") return adapter;
  return new Proxy(adapter, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === "executeRaw") {
        return (query: { sql: string }) => (/^\s*PRAGMA\s+main\.locking_mode\s*=\s*EXCLUSIVE\s*;?\s*$/i.test(query.sql) ? Promise.resolve(0) : target.executeRaw(query as never));
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
