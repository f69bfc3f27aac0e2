/**
 * The sealed-blob format (version 1), self-describing so a blob names the
 * vault key version it needs — the key is chosen by id, never by trial:
 *
 *   0      1 byte   format version (1)
 *   1      4 bytes  vault key version, uint32 big-endian
 *   5     32 bytes  ephemeral X25519 public key
 *   37    12 bytes  IV for the wrapped data key
 *   49    32 bytes  wrapped data key (AES-256-GCM under the ECDH+HKDF key)
 *   81    16 bytes  its tag
 *   97    12 bytes  IV for the data
 *   109    n bytes  ciphertext
 *   109+n 16 bytes  tag
 *
 * Both encryptions authenticate the AAD (format version, key version, table,
 * column, row id), so a blob moved to another row or column fails to open.
 */
import { ivBytes, tagBytes, type Sealed } from "./aead";

export const formatVersion = 1;
const headerBytes = 1 + 4 + 32;
const wrappedBytes = ivBytes + 32 + tagBytes;
const minBytes = headerBytes + wrappedBytes + ivBytes + tagBytes;

/** Where a sealed value lives. Part of the AAD. */
export interface SealContext {
  table: string;
  column: string;
  rowId: string;
}

export interface Blob {
  keyVersion: number;
  ephemeralPublicKey: Buffer;
  wrappedKey: Sealed;
  data: Sealed;
}

export class BlobFormatError extends Error {
  override name = "BlobFormatError";
}

export function encodeBlob(b: Blob): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(formatVersion, 0);
  head.writeUInt32BE(b.keyVersion, 1);
  return Buffer.concat([head, b.ephemeralPublicKey, b.wrappedKey.iv, b.wrappedKey.ciphertext, b.wrappedKey.tag, b.data.iv, b.data.ciphertext, b.data.tag]);
}

export function decodeBlob(buf: Uint8Array): Blob {
  const b = Buffer.from(buf);
  if (b.length < minBytes) throw new BlobFormatError("sealed value is truncated");
  if (b[0] !== formatVersion) throw new BlobFormatError(`unknown sealed format version ${b[0]}`);
  let at = 5;
  const take = (n: number) => b.subarray(at, (at += n));
  const ephemeralPublicKey = take(32);
  const wrappedKey = { iv: take(ivBytes), ciphertext: take(32), tag: take(tagBytes) };
  const dataIv = take(ivBytes);
  const rest = b.subarray(at);
  return {
    keyVersion: b.readUInt32BE(1),
    ephemeralPublicKey,
    wrappedKey,
    data: { iv: dataIv, ciphertext: rest.subarray(0, rest.length - tagBytes), tag: rest.subarray(rest.length - tagBytes) },
  };
}

/** The AAD binding a blob to its format, key version and place. */
export function aad(keyVersion: number, ctx: SealContext): Buffer {
  for (const part of [ctx.table, ctx.column, ctx.rowId]) {
    if (!part || part.includes("\0")) throw new Error("seal context parts must be non-empty and contain no NUL");
  }
  return Buffer.from(`keyward-vault\0${formatVersion}\0${keyVersion}\0${ctx.table}\0${ctx.column}\0${ctx.rowId}`, "utf8");
}

/** The key version a blob was sealed to (no key needed). */
export function blobKeyVersion(buf: Uint8Array): number {
  return decodeBlob(buf).keyVersion;
}
