import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { readKeyFile, VaultKeyError, writeKeyFile } from "@/lib/vault/keyfile";
import { loadVault, newKeyEntry } from "@/lib/vault/keyring";
import { openSealed } from "@/lib/vault/open";
import { primaryPublicKey, VaultNotReadyError } from "@/lib/vault/public-key";
import { retireVersion, rotateVault } from "@/lib/vault/rotate";
import { seal } from "@/lib/vault/seal";
import { databaseKinds, useTestDatabase } from "../helpers/databases";

describe.each(databaseKinds)("vault on %s", (kind) => {
  const t = useTestDatabase(kind);
  let dir: string;
  let file: string;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "keyward-vault-"));
    file = path.join(dir, "vault.key");
    await t.db.exchangeKey.deleteMany();
    await t.db.vaultKey.deleteMany();
  });

  async function storeKey(id: string, secret: string) {
    const pub = await primaryPublicKey(t.db);
    await t.db.exchangeKey.create({
      data: {
        id,
        label: id,
        exchange: "demo",
        maskedKeyId: "abcd",
        fingerprint: id,
        vaultKeyVersion: pub.version,
        apiKeySealed: new Uint8Array(seal(pub, `api-${secret}`, { table: "ExchangeKey", column: "apiKeySealed", rowId: id })),
        secretSealed: new Uint8Array(seal(pub, secret, { table: "ExchangeKey", column: "secretSealed", rowId: id })),
      },
    });
  }

  async function openRow(id: string, keyFile: string) {
    const { keyring } = await loadVault(t.db, keyFile);
    const row = await t.db.exchangeKey.findUniqueOrThrow({ where: { id }, omit: { secretSealed: false } });
    return { version: row.vaultKeyVersion, secret: openSealed(row.secretSealed!, { table: "ExchangeKey", column: "secretSealed", rowId: id }, keyring).toString() };
  }

  it("SECURITY.md 7: first start creates the key file, mode 0600, and says where it is and what losing it means", async () => {
    const messages: string[] = [];
    await expect(primaryPublicKey(t.db)).rejects.toThrow(VaultNotReadyError);
    const status = await loadVault(t.db, file, (m) => messages.push(m));
    expect(status.created).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(messages.join()).toContain(file);
    expect(messages.join()).toMatch(/lost.*every stored secret/);
    expect((await primaryPublicKey(t.db)).version).toBe(1);
  });

  it("SECURITY.md 7: missing, unreadable-by-mode, damaged or foreign key file → clear refusal, nothing deleted", async () => {
    await loadVault(t.db, file);
    await storeKey("k1", "canary-7");
    const original = readFileSync(file);

    await expect(loadVault(t.db, path.join(dir, "nope.key"))).rejects.toThrow(/missing.*Restore the file.*Nothing has been deleted/s);

    chmodSync(file, 0o644);
    await expect(loadVault(t.db, file)).rejects.toThrow(/chmod 600/);
    chmodSync(file, 0o600);

    const damaged = path.join(dir, "damaged.key");
    writeFileSync(damaged, "{not json", { mode: 0o600 });
    await expect(loadVault(t.db, damaged)).rejects.toThrow(/not a Keyward vault key file/);

    const foreignDir = mkdtempSync(path.join(os.tmpdir(), "keyward-vault-other-"));
    const foreign = path.join(foreignDir, "vault.key");
    // a key file made for another (empty) database
    const otherEntries = JSON.parse(original.toString());
    otherEntries.keys[0].publicKey = Buffer.alloc(32, 1).toString("base64");
    writeFileSync(foreign, JSON.stringify(otherEntries), { mode: 0o600 });
    await expect(loadVault(t.db, foreign)).rejects.toBeInstanceOf(VaultKeyError);

    expect(readFileSync(file)).toEqual(original);
    expect(await t.db.exchangeKey.count()).toBe(1);
    expect((await openRow("k1", file)).secret).toBe("canary-7");
    rmSync(foreignDir, { recursive: true, force: true });
  });

  it("SECURITY.md 6: rows sealed under v1 → rotate → all rows on v2 with the same plaintext; v1 retired", async () => {
    await loadVault(t.db, file);
    for (let i = 0; i < 5; i++) await storeKey(`row-${i}`, `plain-${i}`);
    await t.db.exchangeKey.create({ data: { id: "revoked", label: "r", exchange: "demo", maskedKeyId: "zzzz", fingerprint: "r", status: "revoked" } });

    // an alert channel's secret (issue 12) is sealed the same way and rotated with the keys
    const pub = await primaryPublicKey(t.db);
    await t.db.alertChannel.create({ data: { id: "ch1", name: "hook", type: "webhook", events: "[]", secretSealed: new Uint8Array(seal(pub, "hook-secret", { table: "AlertChannel", column: "secretSealed", rowId: "ch1" })), vaultKeyVersion: pub.version } });

    const result = await rotateVault(t.db, file);
    expect(result).toEqual({ newVersion: 2, rewrapped: 6, retired: [1] });
    for (let i = 0; i < 5; i++) expect(await openRow(`row-${i}`, file)).toEqual({ version: 2, secret: `plain-${i}` });
    const channel = await t.db.alertChannel.findUniqueOrThrow({ where: { id: "ch1" }, omit: { secretSealed: false } });
    expect(channel.vaultKeyVersion).toBe(2);
    expect(openSealed(channel.secretSealed!, { table: "AlertChannel", column: "secretSealed", rowId: "ch1" }, (await loadVault(t.db, file)).keyring).toString()).toBe("hook-secret");
    expect((await primaryPublicKey(t.db)).version).toBe(2);
    expect(readKeyFile(file).map((e) => e.version)).toEqual([2]);
    expect((await t.db.vaultKey.findUniqueOrThrow({ where: { version: 1 } })).status).toBe("retired");
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("SECURITY.md 6: retiring a version still in use is refused", async () => {
    await loadVault(t.db, file);
    await storeKey("old", "still-v1");
    // v2 becomes primary but the row is not rewrapped yet (as mid-rotation)
    const v2 = newKeyEntry(2);
    writeKeyFile(file, [...readKeyFile(file), v2]);
    await t.db.vaultKey.update({ where: { version: 1 }, data: { status: "active" } });
    await t.db.vaultKey.create({ data: { version: 2, publicKey: v2.publicKey, status: "primary" } });

    await expect(retireVersion(t.db, file, 1)).rejects.toThrow(/still seals 1 stored secret/);
    await expect(retireVersion(t.db, file, 2)).rejects.toThrow(/primary/);
    expect(readKeyFile(file).map((e) => e.version)).toEqual([1, 2]);
    expect((await openRow("old", file))).toEqual({ version: 1, secret: "still-v1" });
});
});
