/**
 * Opening sealed values: WORKER ONLY (lint-enforced: app/ and components/
 * cannot import this). Needs the private key from the vault key file.
 */
import "server-only";
import type { KeyObject } from "node:crypto";
import { decrypt, DecryptError } from "./aead";
import { aad, decodeBlob, type SealContext } from "./format";
import { wrappingKey } from "./kdf";
import { publicKeyFromRaw } from "./x25519";

export interface KeyVersion {
  version: number;
  privateKey: KeyObject;
  publicRaw: Buffer;
}

/** Private keys by version. */
export type Keyring = ReadonlyMap<number, KeyVersion>;

export class VaultKeyMissingError extends Error {
  override name = "VaultKeyMissingError";
}

export function openSealed(blob: Uint8Array, ctx: SealContext, keyring: Keyring): Buffer {
  const b = decodeBlob(blob);
  const key = keyring.get(b.keyVersion);
  if (!key) throw new VaultKeyMissingError(`this value is sealed to vault key version ${b.keyVersion}, which the vault key file does not hold`);
  const additional = aad(b.keyVersion, ctx);
  const wrapKey = wrappingKey(key.privateKey, publicKeyFromRaw(b.ephemeralPublicKey), b.ephemeralPublicKey, key.publicRaw);
  try {
    const dataKey = decrypt(wrapKey, b.wrappedKey, additional);
    try {
      return decrypt(dataKey, b.data, additional);
    } finally {
      dataKey.fill(0);
    }
  } catch (err) {
    throw err instanceof DecryptError ? err : new DecryptError();
  } finally {
    wrapKey.fill(0);
  }
}
