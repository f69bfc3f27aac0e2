/** ECDH (X25519) + HKDF-SHA256 → the key that wraps a data key. Shared by seal and open. */
import { diffieHellman, hkdfSync, type KeyObject } from "node:crypto";
import { formatVersion } from "./format";

export function wrappingKey(privateKey: KeyObject, peerPublicKey: KeyObject, ephemeralPublicRaw: Buffer, recipientPublicRaw: Buffer): Buffer {
  const shared = diffieHellman({ privateKey, publicKey: peerPublicKey });
  const info = Buffer.concat([Buffer.from(`keyward-vault-wrap-v${formatVersion}`), ephemeralPublicRaw, recipientPublicRaw]);
  return Buffer.from(hkdfSync("sha256", shared, Buffer.alloc(0), info, 32));
}
