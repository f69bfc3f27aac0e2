import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decrypt, DecryptError, encrypt } from "@/lib/vault/aead";

const hex = (s: string) => Buffer.from(s, "hex");
const key = Buffer.alloc(32, 7);
const aad = Buffer.from("ctx");

describe("SECURITY.md 1: AES-256-GCM with a fresh random 12-byte IV for every encryption", () => {
  it("10,000 encryptions of one value give distinct IVs and ciphertexts", () => {
    const ivs = new Set<string>();
    const cts = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const s = encrypt(key, Buffer.from("the same value"), aad);
      expect(s.iv).toHaveLength(12);
      ivs.add(s.iv.toString("hex"));
      cts.add(s.ciphertext.toString("hex") + s.tag.toString("hex"));
    }
    expect(ivs.size).toBe(10_000);
    expect(cts.size).toBe(10_000);
  });

  it("the encrypt API takes no IV from callers", () => {
    expect(encrypt.length).toBe(3); // key, plaintext, aad
  });
});

describe("SECURITY.md 2: decrypt demands a 16-byte tag", () => {
  it.each([4, 12, 15])("a %i-byte (truncated) tag fails", (n) => {
    const s = encrypt(key, Buffer.from("secret"), aad);
    expect(() => decrypt(key, { ...s, tag: s.tag.subarray(0, n) }, aad)).toThrow(DecryptError);
  });

  it("the full tag opens, a wrong AAD or flipped bit does not", () => {
    const s = encrypt(key, Buffer.from("secret"), aad);
    expect(decrypt(key, s, aad).toString()).toBe("secret");
    expect(() => decrypt(key, s, Buffer.from("other"))).toThrow(DecryptError);
    const flipped = Buffer.from(s.ciphertext);
    flipped[0]! ^= 1;
    expect(() => decrypt(key, { ...s, ciphertext: flipped }, aad)).toThrow(DecryptError);
  });
});

describe("SECURITY.md 3: Wycheproof AES-GCM vectors (keySize 256, ivSize 96) through our decrypt", () => {
  const file = JSON.parse(readFileSync(path.join(import.meta.dirname, "../fixtures/wycheproof_aes_gcm_test.json"), "utf8")) as {
    testGroups: { keySize: number; ivSize: number; tagSize: number; tests: { tcId: number; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: string }[] }[];
  };
  const tests = file.testGroups.filter((g) => g.keySize === 256 && g.ivSize === 96).flatMap((g) => g.tests);

  it("has the vectors", () => expect(tests.length).toBeGreaterThan(50));

  it.each(tests.map((t) => [t.tcId, t.result, t] as const))("tcId %i (%s)", (_id, result, t) => {
    const sealed = { iv: hex(t.iv), ciphertext: hex(t.ct), tag: hex(t.tag) };
    if (result === "valid") {
      expect(decrypt(hex(t.key), sealed, hex(t.aad)).toString("hex")).toBe(t.msg);
      // and our own encryption of the message round-trips under the same key and AAD
      expect(decrypt(hex(t.key), encrypt(hex(t.key), hex(t.msg), hex(t.aad)), hex(t.aad)).toString("hex")).toBe(t.msg);
    } else {
      expect(() => decrypt(hex(t.key), sealed, hex(t.aad))).toThrow(DecryptError);
    }
  });
});
