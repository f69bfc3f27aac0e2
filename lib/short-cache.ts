/**
 * An answer shared by everyone who asks within `maxAgeMs` (per database and
 * key): for hot reads many dashboards poll. A failed build is not kept.
 */
import type { Db } from "./db/client";

export class ShortCache<T> {
  private readonly entries = new WeakMap<Db, Map<string, { at: number; value: Promise<T> }>>();

  constructor(private readonly maxAgeMs: number) {}

  get(db: Db, key: string, build: () => Promise<T>): Promise<T> {
    let forDb = this.entries.get(db);
    if (!forDb) this.entries.set(db, (forDb = new Map()));
    const hit = forDb.get(key);
    if (hit && Date.now() - hit.at < this.maxAgeMs) return hit.value;
    const value = build();
    const entry = { at: Date.now(), value };
    forDb.set(key, entry);
    value.catch(() => forDb.get(key) === entry && forDb.delete(key));
    return value;
  }

  drop(db: Db): void {
    this.entries.delete(db);
  }
}
