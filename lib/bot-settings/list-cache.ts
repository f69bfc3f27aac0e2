/**
 * /api/v1/bots is what scripts and dashboards poll. Its answer is built at
 * most once per 500 ms per process and shared; a bot changed through this
 * process (created, edited, deleted, started, stopped…) drops it at once. The
 * rest — statuses, PnL written by workers — is at most 500 ms old in it, and
 * pushed without delay by the event stream.
 */
import type { Db } from "../db/client";
import { processWide } from "../process-wide";
import { ShortCache } from "../short-cache";

// process-wide: bots change in server actions, the list is read by a route handler
const lists = processWide("bot-list", () => new ShortCache<string>(500));

/** `page`: which page (limit and cursor) */
export function cachedBotList(db: Db, page: string, build: () => Promise<string>): Promise<string> {
  return lists.get(db, page, build);
}

export function botListChanged(db: Db): void {
  lists.drop(db);
}
