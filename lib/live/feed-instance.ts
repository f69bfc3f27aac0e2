/** The web process's one event feed (survives Next dev reloads like the database client). */
import { db } from "../db/client";
import { databaseKind } from "../db/adapter";
import { env } from "../env";
import { EventFeed } from "./event-feed";

const g = globalThis as unknown as { __keywardFeed?: EventFeed };

export async function liveFeed(): Promise<EventFeed> {
  if (!g.__keywardFeed) {
    const url = env().databaseUrl;
    const postgres = databaseKind(url) === "postgres";
    // PostgreSQL wakes the feed by NOTIFY; the poll there only covers writers that do not notify
    g.__keywardFeed = new EventFeed(db(), { listenUrl: postgres ? url : undefined, pollMs: postgres ? 2000 : 100, gapWaitMs: 1000 });
  }
  return g.__keywardFeed;
}

/** The feed if it was started (metrics). */
export function startedFeed(): EventFeed | undefined {
  return g.__keywardFeed;
}
