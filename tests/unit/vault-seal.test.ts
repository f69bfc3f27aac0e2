import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DecryptError } from "@/lib/vault/aead";
import { blobKeyVersion, BlobFormatError } from "@/lib/vault/format";
import { keyringFrom } from "@/lib/vault/keyfile";
import { newKeyEntry } from "@/lib/vault/keyring";
import { openSealed, VaultKeyMissingError } from "@/lib/vault/open";
import { seal } from "@/lib/vault/seal";

const entry = newKeyEntry(1);
const keyring = keyringFrom([entry]);
const pub = { version: 1, publicKey: Buffer.from(entry.publicKey, "base64") };
const ctx = { table: "ExchangeKey", column: "secretSealed", rowId: "row-1" };

describe("sealed-box envelope", () => {
  it("seals with the public key alone and opens with the private key", () => {
    const blob = seal(pub, "s3cr3t-canary", ctx);
    expect(blob.includes(Buffer.from("s3cr3t-canary"))).toBe(false);
    expect(openSealed(blob, ctx, keyring).toString()).toBe("s3cr3t-canary");
  });

  it("another vault's key cannot open it", () => {
    const other = newKeyEntry(1);
    expect(() => openSealed(seal(pub, "x", ctx), ctx, keyringFrom([other]))).toThrow(DecryptError);
  });
});

describe("SECURITY.md 4: AAD binds a ciphertext to its place", () => {
  const blob = seal(pub, "bound", ctx);
  it.each([
    ["another row", { ...ctx, rowId: "row-2" }],
    ["another column", { ...ctx, column: "apiKeySealed" }],
    ["another table", { ...ctx, table: "Bot" }],
  ])("moving it to %s fails", (_what, moved) => {
    expect(() => openSealed(blob, moved, keyring)).toThrow(DecryptError);
  });

  it("changing the key version byte in the blob fails (version is in the AAD)", () => {
    const ring2 = new Map(keyring);
    ring2.set(2, { ...keyring.get(1)!, version: 2 });
    const tampered = Buffer.from(blob);
    tampered.writeUInt32BE(2, 1);
    expect(() => openSealed(tampered, ctx, ring2)).toThrow(DecryptError);
  });
});

describe("SECURITY.md 5: self-describing blobs; the key is chosen by id; golden blobs keep opening", () => {
  it("the blob names its format and key version", () => {
    const blob = seal({ ...pub, version: 42 }, "x", ctx);
    expect(blob[0]).toBe(1);
    expect(blobKeyVersion(blob)).toBe(42);
    expect(() => openSealed(blob, ctx, keyring)).toThrow(VaultKeyMissingError);
  });

  it("an unknown format version or a truncated blob is refused clearly", () => {
    const blob = seal(pub, "x", ctx);
    const v2 = Buffer.from(blob);
    v2[0] = 2;
    expect(() => openSealed(v2, ctx, keyring)).toThrow(BlobFormatError);
    expect(() => openSealed(blob.subarray(0, 40), ctx, keyring)).toThrow(BlobFormatError);
  });

  const golden = JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/vault-golden.json"), "utf8")) as {
    keyVersion: number;
    privateKey: string;
    publicKey: string;
    blobs: { ctx: typeof ctx; plaintext: string; blob: string }[];
  };
  const goldenRing = keyringFrom([{ version: golden.keyVersion, privateKey: golden.privateKey, publicKey: golden.publicKey, createdAt: "" }]);
  it.each(golden.blobs.map((b) => [b.ctx.column, b] as const))("golden %s blob opens to its plaintext", (_c, b) => {
    expect(openSealed(Buffer.from(b.blob, "base64"), b.ctx, goldenRing).toString("utf8")).toBe(b.plaintext);
  });
});
