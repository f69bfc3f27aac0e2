/**
 * Wake-ups between processes. On PostgreSQL, NOTIFY/LISTEN: the web tells the
 * workers that a bot's desired state changed (they reconcile at once instead
 * of at their next pass), workers tell the SSE streams that events were
 * written. On SQLite (one host) there is nothing to send: the listeners poll.
 */
import pg from "pg";
import { dbKind, type Db } from "./client";
import { databaseKind } from "./adapter";

export const channels = {
  /** a bot's desired state or settings changed */
  bots: "keyward_bots",
  /** bot events were written (payload: the newest event id) */
  events: "keyward_events",
} as const;

export async function notify(db: Db, channel: string, payload = ""): Promise<void> {
  if (dbKind(db) !== "postgres") return;
  await db.$executeRawUnsafe("SELECT pg_notify($1, $2)", channel, payload);
}

export interface Listener {
  close(): Promise<void>;
}

/**
 * Calls `onNotify` for every notification on `channel`; reconnects with
 * backoff when the connection drops. A no-op listener for SQLite.
 */
export function listen(url: string, channel: string, onNotify: (payload: string) => void, onError: (err: Error) => void = () => undefined): Listener {
  if (databaseKind(url) !== "postgres") return { close: async () => undefined };
  let client: pg.Client | null = null;
  let closed = false;
  let delay = 500;
  const connect = async () => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url });
    client = c;
    c.on("notification", (n) => n.channel === channel && onNotify(n.payload ?? ""));
    c.on("error", (err) => {
      onError(err);
      retry(c);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      delay = 500;
      onNotify(""); // anything sent while we were away: check now
    } catch (err) {
      onError(err as Error);
      retry(c);
    }
  };
  const retry = (c: pg.Client) => {
    if (closed || client !== c) return;
    client = null;
    c.end().catch(() => undefined);
    setTimeout(() => void connect(), delay).unref();
    delay = Math.min(delay * 2, 30_000);
  };
  void connect();
  return {
    close: async () => {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}
