/**
 * Appends one audit entry. Append-only: nothing in Keyward updates or deletes
 * audit rows. `detail` must never contain a secret; it is redacted by key name
 * anyway as a second line of defence.
 */
import { dbKind, type Db } from "../db/client";
import { entryHash, genesisHash } from "./chain";

export interface AuditInput {
  actor: { id: string | null; label: string };
  action: string;
  ip?: string | null;
  target?: { type: string; id: string };
  detail?: Record<string, unknown>;
}

const secretish = /pass|secret|token|apikey|api_key|private|cookie|authorization/i;

function redact(detail: Record<string, unknown>): string {
  return JSON.stringify(detail, (k, v) => (k && secretish.test(k) ? "[redacted]" : v));
}

type Client = Pick<Db, "auditEntry">;

async function appendOnce(client: Client, input: AuditInput): Promise<void> {
  const last = await client.auditEntry.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  const prevHash = last?.hash ?? genesisHash;
  const fields = {
    at: new Date(),
    actorId: input.actor.id,
    actorLabel: input.actor.label,
    ip: input.ip ?? null,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    detail: redact(input.detail ?? {}),
  };
  await client.auditEntry.create({ data: { ...fields, prevHash, hash: entryHash(prevHash, fields) } });
}

/**
 * PostgreSQL: a transaction-scoped advisory lock makes appenders take turns
 * across every process. SQLite: no transaction (in WAL mode a read snapshot
 * cannot be upgraded to a write while another connection writes); the unique
 * prevHash turns a lost race into P2002, and we retry on the new tail.
 */
export async function appendAudit(db: Db, input: AuditInput): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      if (dbKind(db) === "postgres") {
        await db.$transaction(async (tx) => {
          await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock(7308604897062756201)");
          await appendOnce(tx, input);
        });
      } else {
        await appendOnce(db, input);
      }
      return;
    } catch (err) {
      if (attempt < 10 && (err as { code?: string }).code === "P2002") {
        await new Promise((r) => setTimeout(r, Math.random() * 20 * (attempt + 1)));
        continue;
      }
      throw err;
    }
  }
}
