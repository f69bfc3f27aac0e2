import "server-only";
import { requireUser } from "../auth/request";
import { db } from "../db/client";
import { keyWarnings, toKeyDTO, type KeyDTO } from "../keys/dto";

export async function listKeys(): Promise<KeyDTO[]> {
  await requireUser("viewer");
  const rows = await db().exchangeKey.findMany({ orderBy: [{ status: "asc" }, { createdAt: "desc" }], include: { bot: { select: { id: true, name: true } } } });
  return rows.map(toKeyDTO);
}

/** Counts for the warning banner and the overview; cheap enough for every page. */
export async function activeKeyWarnings(): Promise<{ withdraw: number; unrestricted: number }> {
  await requireUser("viewer");
  const rows = await db().exchangeKey.findMany({ where: { status: "active" }, select: { status: true, canWithdraw: true, ipRestricted: true } });
  return keyWarnings(rows.map((r) => ({ status: r.status, withdraw: r.canWithdraw, ipRestricted: r.ipRestricted })));
}
