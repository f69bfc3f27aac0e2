/**
 * Brings a database up to date: the committed schema migrations, then the
 * data steps that need application code (today: one live row per exchange
 * key). Run by `npm run db:migrate` (which `npm start` runs first), by every
 * worker and by the keyward CLI. Idempotent and safe to run concurrently.
 */
import { createDb } from "../db/client";
import { applyMigrations } from "../db/migrations";
import { claimLiveFingerprints } from "../keys/claim-live-fingerprints";

export interface Prepared {
  applied: string[];
  /** later copies of an already stored exchange key, revoked by this run */
  revokedDuplicates: number;
}

export async function prepareDatabase(url: string): Promise<Prepared> {
  const applied = await applyMigrations(url);
  const db = createDb(url);
  try {
    const { revokedDuplicates } = await claimLiveFingerprints(db);
    return { applied, revokedDuplicates };
  } finally {
    await db.$disconnect();
  }
}
