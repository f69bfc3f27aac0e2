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
import { adapterFactory, databaseKind, type DatabaseKind } from "./adapter";
import { env } from "../env";

export const secretColumnsOmitted = {
  user: { passwordHash: true },
  session: { tokenHash: true },
  apiToken: { tokenHash: true },
  exchangeKey: { apiKeySealed: true, secretSealed: true, passwordSealed: true },
  alertChannel: { secretSealed: true },
  totpFactor: { secretSealed: true },
  recoveryCode: { codeHash: true },
  pendingSignIn: { tokenHash: true },
} as const;

// on globalThis: the web process loads this module twice (its server and the Next bundles) and both use one client
const kinds: WeakMap<object, DatabaseKind> = ((globalThis as { __keywardDbKinds?: WeakMap<object, DatabaseKind> }).__keywardDbKinds ??= new WeakMap());

function makeClient(url: string) {
  const adapter = adapterFactory(url);
  const kind = databaseKind(url);
  const client =
    kind === "sqlite"
      ? new SqliteClient({ adapter, omit: secretColumnsOmitted })
      : (new PostgresClient({ adapter, omit: secretColumnsOmitted }) as unknown as SqliteClient<never, typeof secretColumnsOmitted>);
  kinds.set(client, kind);
  // WAL with synchronous=NORMAL: a crash of the process loses nothing; a power cut may lose the last
  // transactions but never corrupts the file — and an order row lost that way is found again at the
  // exchange by reconciliation (it carries the bot's client order id). It halves the cost of a write.
  if (kind === "sqlite") void client.$executeRawUnsafe("PRAGMA synchronous = NORMAL").catch(() => undefined);
  return client;
}

export type Db = ReturnType<typeof makeClient>;

/** Which database a client talks to (for the rare provider-specific statement). */
export function dbKind(client: Db): DatabaseKind {
  return kinds.get(client) ?? "sqlite";
}

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
