/**
 * The Prisma client for this process, chosen from DATABASE_URL.
 *
 * Both generated clients (SQLite, PostgreSQL) come from one schema, so they
 * share one API; we type the singleton with the SQLite client's types.
 * Columns holding secrets or their hashes are omitted from every query unless
 * a query asks for them by name (`omit: { secretSealed: false }`), so a stray
 * `findMany` can never carry them into a DTO.
 */
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgres/client";
import { adapterFactory, databaseKind } from "./adapter";
import { env } from "../env";

export const secretColumnsOmitted = {
  user: { passwordHash: true },
  session: { tokenHash: true },
  apiToken: { tokenHash: true },
  exchangeKey: { apiKeySealed: true, secretSealed: true, passwordSealed: true },
} as const;

function makeClient(url: string) {
  const adapter = adapterFactory(url);
  if (databaseKind(url) === "sqlite") return new SqliteClient({ adapter, omit: secretColumnsOmitted });
  return new PostgresClient({ adapter, omit: secretColumnsOmitted }) as unknown as SqliteClient<never, typeof secretColumnsOmitted>;
}

export type Db = ReturnType<typeof makeClient>;

/** A client for an explicit URL (tests, CLI). Disconnect it yourself. */
export function createDb(url: string): Db {
  return makeClient(url);
}

const g = globalThis as unknown as { __keywardDb?: Db };

/** The process-wide client for env().databaseUrl (survives Next dev reloads). */
export function db(): Db {
  g.__keywardDb ??= makeClient(env().databaseUrl);
  return g.__keywardDb;
}
