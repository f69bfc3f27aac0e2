/**
 * The vault's primary public key, as published in the database by the worker
 * side. This is all the web process needs to seal.
 */
import type { Db } from "../db/client";
import type { VaultPublicKey } from "./seal";

export class VaultNotReadyError extends Error {
  override name = "VaultNotReadyError";
  constructor() {
    super("The vault has no key yet. Start Keyward with `npm start` (or run a worker) once so it can create the vault key, then try again.");
  }
}

export async function primaryPublicKey(db: Db): Promise<VaultPublicKey> {
  const row = await db.vaultKey.findFirst({ where: { status: "primary" } });
  if (!row) throw new VaultNotReadyError();
  return { version: row.version, publicKey: Buffer.from(row.publicKey, "base64") };
}
