/** X25519 keys as raw 32-byte values (what the database and key file store). */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";

export function publicKeyFromRaw(raw: Buffer): KeyObject {
  if (raw.length !== 32) throw new Error("an X25519 public key is 32 bytes");
  return createPublicKey({ key: { kty: "OKP", crv: "X25519", x: raw.toString("base64url") }, format: "jwk" });
}

export function privateKeyFromRaw(rawPrivate: Buffer, rawPublic: Buffer): KeyObject {
  return createPrivateKey({ key: { kty: "OKP", crv: "X25519", x: rawPublic.toString("base64url"), d: rawPrivate.toString("base64url") }, format: "jwk" });
}

export function rawPublic(key: KeyObject): Buffer {
  const jwk = key.export({ format: "jwk" });
  return Buffer.from(jwk.x ?? "", "base64url");
}

export function generateX25519(): { privateRaw: Buffer; publicRaw: Buffer } {
  const { privateKey } = generateKeyPairSync("x25519");
  const jwk = privateKey.export({ format: "jwk" });
  return { privateRaw: Buffer.from(jwk.d ?? "", "base64url"), publicRaw: Buffer.from(jwk.x ?? "", "base64url") };
}
