/**
 * An answer shared by everyone who asks within `maxAgeMs` (per database and
 * key): for hot reads many dashboards poll. A failed build is not kept. With
 * a `version` (e.g. the latest event id), an answer built at another version
 * is not shared: a page re-rendered because of an event sees that event.
 */
import type { Db } from "./db/client";

export class ShortCache<T> {
  private readonly entries = new WeakMap<Db, Map<string, { at: number; version: number | undefined; value: Promise<T> }>>();

  constructor(private readonly maxAgeMs: number) {}

  get(db: Db, key: string, build: () => Promise<T>, version?: number): Promise<T> {
    let forDb = this.entries.get(db);
    if (!forDb) this.entries.set(db, (forDb = new Map()));
    const hit = forDb.get(key);
    if (hit && hit.version === version && Date.now() - hit.at < this.maxAgeMs) return hit.value;
    const value = build();
    const entry = { at: Date.now(), version, value };
    forDb.set(key, entry);
    value.catch(() => forDb.get(key) === entry && forDb.delete(key));
    return value;
  }

  drop(db: Db): void {
    this.entries.delete(db);
  }
}
