/** `npm run db:migrate`: apply pending migrations to DATABASE_URL (also done on every start). */
import { describeDatabase } from "../db/adapter";
import { applyMigrations } from "../db/migrations";
import { env, EnvError } from "../env";

try {
  const { databaseUrl } = env();
  const applied = await applyMigrations(databaseUrl);
  console.log(`${describeDatabase(databaseUrl)}: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"}`);
} catch (err) {
  console.error(err instanceof EnvError ? err.message : `Migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
