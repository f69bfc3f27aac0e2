/**
 * Sealing: usable by web and worker. Needs only the vault's public key, so the
 * web process can store a new secret it can never read back (SECURITY.md 8).
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { encrypt, keyBytes } from "./aead";
import { aad, encodeBlob, type SealContext } from "./format";
import { wrappingKey } from "./kdf";
import { publicKeyFromRaw, rawPublic } from "./x25519";

export interface VaultPublicKey {
  version: number;
  /** raw 32-byte X25519 public key */
  publicKey: Buffer;
}

export function seal(recipient: VaultPublicKey, plaintext: string | Uint8Array, ctx: SealContext): Buffer {
  const ephemeral = generateKeyPairSync("x25519");
  const ephemeralRaw = rawPublic(ephemeral.publicKey);
  const additional = aad(recipient.version, ctx);
  const wrapKey = wrappingKey(ephemeral.privateKey, publicKeyFromRaw(recipient.publicKey), ephemeralRaw, recipient.publicKey);
  const dataKey = randomBytes(keyBytes);
  try {
    const data = encrypt(dataKey, typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext, additional);
    const wrappedKey = encrypt(wrapKey, dataKey, additional);
    return encodeBlob({ keyVersion: recipient.version, ephemeralPublicKey: ephemeralRaw, wrappedKey, data });
  } finally {
    dataKey.fill(0);
    wrapKey.fill(0);
  }
}
