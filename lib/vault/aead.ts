/**
 * AES-256-GCM, the only cipher the vault uses. The IV is always 12 fresh
 * random bytes chosen here (callers cannot pass one), and decryption demands
 * a full 16-byte tag: Node otherwise accepts truncated tags (DEP0182).
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export const keyBytes = 32;
export const ivBytes = 12;
export const tagBytes = 16;

export interface Sealed {
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export class DecryptError extends Error {
  override name = "DecryptError";
  constructor(message = "decryption failed: wrong key, wrong context, or tampered data") {
    super(message);
  }
}

export function encrypt(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Sealed {
  if (key.length !== keyBytes) throw new Error("AES-256-GCM needs a 32-byte key");
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: tagBytes });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

export function decrypt(key: Uint8Array, sealed: Sealed, aad: Uint8Array): Buffer {
  if (key.length !== keyBytes || sealed.iv.length !== ivBytes || sealed.tag.length !== tagBytes) throw new DecryptError();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, sealed.iv, { authTagLength: tagBytes });
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.tag);
    return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]);
  } catch {
    throw new DecryptError();
  }
}
