import "server-only";
import { requireUser } from "../auth/request";
import { db } from "../db/client";
import { sameAccount } from "../bot-settings/fresh-start";
import { keyWarnings, toKeyDTO, type KeyDTO } from "../keys/dto";

/** `sameAccountAs`: the labels of the other keys (not revoked) of the key's exchange account, where the exchange names it. */
export type KeyRowDTO = KeyDTO & { lastWarning: { message: string; at: Date } | null; sameAccountAs: string[] };

/** Keys, each with its latest warning (a scope change, a rejection, another program trading on its account) and the keys of the same account. */
export async function listKeys(): Promise<KeyRowDTO[]> {
  await requireUser("viewer");
  const rows = await db().exchangeKey.findMany({ orderBy: [{ status: "asc" }, { createdAt: "desc" }], include: { bot: { select: { id: true, name: true } } } });
  const warnings = await Promise.all(rows.map((k) => db().botEvent.findFirst({ where: { keyId: k.id, level: { in: ["warn", "error"] }, kind: { startsWith: "key." } }, orderBy: { id: "desc" }, select: { message: true, createdAt: true } })));
  const live = rows.filter((k) => k.status !== "revoked");
  return rows.map((k, i) => ({
    ...toKeyDTO(k),
    lastWarning: warnings[i] ? { message: warnings[i]!.message, at: warnings[i]!.createdAt } : null,
    sameAccountAs: k.status === "revoked" ? [] : live.filter((o) => o.id !== k.id && sameAccount(k, o)).map((o) => o.label),
  }));
}

/** Counts for the warning banner and the overview; cheap enough for every page. */
export async function activeKeyWarnings(): Promise<{ withdraw: number; transfer: number; unrestricted: number }> {
  await requireUser("viewer");
  const rows = await db().exchangeKey.findMany({ where: { status: "active" }, select: { status: true, canWithdraw: true, canTransfer: true, ipRestricted: true } });
  return keyWarnings(rows.map((r) => ({ status: r.status, withdraw: r.canWithdraw, transfer: r.canTransfer, ipRestricted: r.ipRestricted })));
}
