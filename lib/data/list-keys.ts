import "server-only";
import { requireUser } from "../auth/request";
import { db } from "../db/client";
import { keyWarnings, toKeyDTO, type KeyDTO } from "../keys/dto";

export type KeyRowDTO = KeyDTO & { lastWarning: { message: string; at: Date } | null };

/** Keys, each with its latest warning (a scope change, a rejection, another program trading with it). */
export async function listKeys(): Promise<KeyRowDTO[]> {
  await requireUser("viewer");
  const rows = await db().exchangeKey.findMany({ orderBy: [{ status: "asc" }, { createdAt: "desc" }], include: { bot: { select: { id: true, name: true } } } });
  const warnings = await Promise.all(rows.map((k) => db().botEvent.findFirst({ where: { keyId: k.id, level: { in: ["warn", "error"] }, kind: { startsWith: "key." } }, orderBy: { id: "desc" }, select: { message: true, createdAt: true } })));
  return rows.map((k, i) => ({ ...toKeyDTO(k), lastWarning: warnings[i] ? { message: warnings[i]!.message, at: warnings[i]!.createdAt } : null }));
}

/** Counts for the warning banner and the overview; cheap enough for every page. */
export async function activeKeyWarnings(): Promise<{ withdraw: number; transfer: number; unrestricted: number }> {
  await requireUser("viewer");
  const rows = await db().exchangeKey.findMany({ where: { status: "active" }, select: { status: true, canWithdraw: true, canTransfer: true, ipRestricted: true } });
  return keyWarnings(rows.map((r) => ({ status: r.status, withdraw: r.canWithdraw, transfer: r.canTransfer, ipRestricted: r.ipRestricted })));
}
