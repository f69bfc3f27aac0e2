import "server-only";
import { db } from "../db/client";

/** The newest bot event id: a page rendered now passes it to its live stream, which starts right after it. */
export async function latestEventId(): Promise<number> {
  return (await db().botEvent.findFirst({ orderBy: { id: "desc" }, select: { id: true } }))?.id ?? 0;
}
