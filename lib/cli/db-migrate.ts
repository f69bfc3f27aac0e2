/** `npm run db:migrate`: bring DATABASE_URL up to date (npm start runs this first; workers do it too). */
import { describeDatabase } from "../db/adapter";
import { env, EnvError } from "../env";
import { prepareDatabase } from "./prepare-database";

try {
  const { databaseUrl } = env();
  const r = await prepareDatabase(databaseUrl);
  console.log(`database ${describeDatabase(databaseUrl)}: ${r.applied.length ? `applied ${r.applied.join(", ")}` : "up to date"}`);
  if (r.revokedDuplicates) console.log(`revoked ${r.revokedDuplicates} duplicate cop${r.revokedDuplicates === 1 ? "y" : "ies"} of stored exchange keys (the oldest of each is kept; see the audit log)`);
} catch (err) {
  console.error(err instanceof EnvError ? err.message : `Migration failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
