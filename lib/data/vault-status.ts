import "server-only";
import { requireUser } from "../auth/request";
import { db } from "../db/client";

export interface VaultVersionDTO {
  version: number;
  status: string;
  createdAt: Date;
  sealedKeys: number;
}

/** Public facts about the vault: versions and how many stored keys each seals. Never key material. */
export async function vaultStatus(): Promise<VaultVersionDTO[]> {
  await requireUser("viewer");
  const versions = await db().vaultKey.findMany({ orderBy: { version: "asc" } });
  return Promise.all(versions.map(async (v) => ({ version: v.version, status: v.status, createdAt: v.createdAt, sealedKeys: await db().exchangeKey.count({ where: { vaultKeyVersion: v.version, status: { not: "revoked" } } }) })));
}
