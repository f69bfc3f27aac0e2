/**
 * Paging for lists newest first: `limit` (1–500, default 50) and an opaque
 * `cursor` — the previous page's `nextCursor`, null on the last page — that
 * encodes the last row's (time, id). Used by bot histories and backtests.
 */
import { InvalidInputError } from "../errors";
import { maxPageSize } from "../validation/common";

export interface PageRequest {
  limit?: number;
  cursor?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function pageSize(limit: number | undefined): number {
  const n = limit ?? 50;
  if (!Number.isInteger(n) || n < 1 || n > maxPageSize) throw new InvalidInputError(`limit must be a whole number from 1 to ${maxPageSize}.`);
  return n;
}

/** A (time, id) position, for rows ordered by time then id, newest first. */
export function decodeTimeCursor(cursor: string | null | undefined): { at: Date; id: string } | null {
  if (!cursor) return null;
  const m = /^(\d{1,15})\.([\w-]{1,64})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!m) throw new InvalidInputError("That cursor is not valid: pass the nextCursor of a previous page.");
  return { at: new Date(Number(m[1])), id: m[2]! };
}

function encodeTimeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.getTime()}.${id}`).toString("base64url");
}

export function olderThan(field: "createdAt" | "executedAt", c: { at: Date; id: string } | null) {
  return c ? { OR: [{ [field]: { lt: c.at } }, { [field]: c.at, id: { lt: c.id } }] } : {};
}

/** The page from rows fetched with `take + 1` (one more tells whether an older page exists), mapped; `time` is the field the rows are ordered by. */
export function pageFrom<R extends { id: string }, T>(rows: R[], take: number, time: (r: R) => Date, map: (r: R) => T): Page<T> {
  const items = rows.slice(0, take);
  const last = items.at(-1);
  return { items: items.map(map), nextCursor: rows.length > take && last ? encodeTimeCursor(time(last), last.id) : null };
}
