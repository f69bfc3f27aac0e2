/** Walks the audit chain from the start; names the first entry that does not fit. */
import type { Db } from "../db/client";
import { entryHash, genesisHash } from "./chain";

export type ChainCheck = { ok: true; entries: number } | { ok: false; entries: number; brokenAt: number; reason: string };

export async function verifyAuditChain(db: Db, pageSize = 1000): Promise<ChainCheck> {
  let prev = genesisHash;
  let checked = 0;
  let cursor = 0;
  for (;;) {
    const page = await db.auditEntry.findMany({ where: { id: { gt: cursor } }, orderBy: { id: "asc" }, take: pageSize });
    if (page.length === 0) return { ok: true, entries: checked };
    for (const e of page) {
      if (e.prevHash !== prev) return { ok: false, entries: checked, brokenAt: e.id, reason: "does not follow the entry before it (an entry was removed or reordered)" };
      if (entryHash(e.prevHash, e) !== e.hash) return { ok: false, entries: checked, brokenAt: e.id, reason: "its contents were changed after it was written" };
      prev = e.hash;
      checked++;
      cursor = e.id;
    }
  }
}
