/**
 * Issue 13: what an attacker's probe found, closed. Each test is named after
 * its item and runs against real SQLite and PostgreSQL databases.
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { authenticateBearer, createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { checkPassword, confirmPassword, login, unknownAccountLabel } from "@/lib/auth/login";
import { throttlePolicy } from "@/lib/auth/policy";
import { throttleSubject } from "@/lib/auth/throttle";
import { changeRole, createUser, setDisabled, setPassword, UserError } from "@/lib/auth/users";
import { createBot } from "@/lib/bot-settings/save-bot";
import { botSchema } from "@/lib/validation/keys";
import { prepareDatabase } from "@/lib/cli/prepare-database";
import { createDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrations";
import { createThrowawayDatabase } from "@/lib/db/throwaway";
import { ConflictError } from "@/lib/errors";
import { addKey, fingerprintOf } from "@/lib/keys/add-key";
import { revokeKey } from "@/lib/keys/revoke-key";
import { loadVault } from "@/lib/vault/keyring";
import { maxTokenLifetimeMs } from "@/lib/validation/auth";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import { argon2Verifies } from "../helpers/argon2-counter";
import { databaseKinds, useTestDatabase } from "../helpers/databases";
import { startDemo, type RunningDemo } from "../helpers/demo-exchange";

vi.mock("@node-rs/argon2", async (original) => (await import("../helpers/argon2-counter")).countVerifies(original));

const system = { id: null, label: "test" };
const root = path.resolve(import.meta.dirname, "../..");

describe.each(databaseKinds)("issue 13 on %s", (kind) => {
  const t = useTestDatabase(kind);
  let d: RunningDemo;
  let n = 0;
  beforeAll(async () => {
    d = await startDemo();
    await loadVault(t.db, path.join(mkdtempSync(path.join(os.tmpdir(), "keyward-h-")), "vault.key"));
  });
  afterAll(() => d.close());

  const newUser = async (role: "owner" | "operator" | "viewer" = "operator", password = "a-good-password-1") => createUser(t.db, { email: `h${++n}-${kind}@example.test`, role, password }, system);
  const demoKey = async () => d.key(await d.account({ USDT: "100" }), { read: true, trade: true }, { ipRestrict: true, ips: ["127.0.0.1"] });
  const add = (minted: { apiKey: string; secret: string }, label: string) => addKey(t.db, { exchange: "demo", label, apiKey: minted.apiKey, secret: minted.secret, password: undefined, acceptWithdrawRisk: undefined }, system, d.url);

  describe("13.1 one exchange key, one row", () => {
    it("a second add of the same key is a conflict naming the stored key and its bot; the database itself refuses a second live row", async () => {
      const minted = await demoKey();
      const first = await add(minted, "original");
      if (!first.ok) throw new Error("not added");
      await createBot(t.db, botSchema.parse({ name: "holder", keyId: first.key.id, symbol: "BTC/USDT", strategy: "dca", params: {}, mode: "paper", maxOrderNotional: "30", maxDailyLoss: "5", maxOpenOrders: 1 }), {}, system, d.url);
      const second = add(minted, "copy");
      await expect(second).rejects.toBeInstanceOf(ConflictError);
      await expect(second).rejects.toThrow(/already stored as "original" \(\w{4}…\w{4}, used by bot "holder"\)/);
      // not only a check in code: a direct insert of a second live row fails on the unique constraint
      await expect(t.db.exchangeKey.create({ data: { label: "raw copy", exchange: "demo", maskedKeyId: "x", fingerprint: fingerprintOf("demo", minted.apiKey), liveFingerprint: fingerprintOf("demo", minted.apiKey) } })).rejects.toThrow(/Unique constraint/i);
      expect(await t.db.exchangeKey.count({ where: { fingerprint: fingerprintOf("demo", minted.apiKey) } })).toBe(1);
    });

    it("five simultaneous adds of one key store it once", async () => {
      const minted = await demoKey();
      const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => add(minted, `race-${i}`)));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ConflictError);
      expect(await t.db.exchangeKey.count({ where: { fingerprint: fingerprintOf("demo", minted.apiKey), status: "active" } })).toBe(1);
    });

    it("revoke acts on every live row with the fingerprint (copies left by older versions included)", async () => {
      const minted = await demoKey();
      const first = await add(minted, "live one");
      if (!first.ok) throw new Error("not added");
      const fp = fingerprintOf("demo", minted.apiKey);
      const legacy = await t.db.exchangeKey.create({ data: { label: "legacy copy", exchange: "demo", maskedKeyId: "x", fingerprint: fp } });
      const r = await revokeKey(t.db, first.key.id, { cancelOrders: false }, system);
      expect(r.label).toBe("live one");
      const rows = await t.db.exchangeKey.findMany({ where: { fingerprint: fp } });
      expect(rows.map((k) => k.status)).toEqual(["revoked", "revoked"]);
      expect(rows.every((k) => k.liveFingerprint === null)).toBe(true);
      expect(await t.db.auditEntry.count({ where: { action: "key.revoke", targetId: { in: [first.key.id, legacy.id] } } })).toBe(2);
      // once revoked, the same key can be added again
      expect((await add(minted, "added again")).ok).toBe(true);
    });
  });

  describe("13.2 no re-authentication bypass", () => {
    it("tokens always expire: 'never' and more than a year are refused; old never-expiring tokens stop a year after creation", async () => {
      const { createTokenSchema } = await import("@/lib/validation/auth");
      const base = { name: "t", scopes: ["read"] };
      expect(createTokenSchema.safeParse({ ...base, expires: "never" }).success).toBe(false);
      expect(createTokenSchema.safeParse({ ...base, expires: "366d" }).success).toBe(false);
      expect(createTokenSchema.safeParse({ ...base, expires: "365d" }).success).toBe(true);
      const u = await newUser();
      const { token } = await createApiToken(t.db, u.id, { name: "legacy", scopes: ["read"], expiresInMs: 3_600_000 }, system);
      await t.db.apiToken.updateMany({ where: { userId: u.id }, data: { expiresAt: null } }); // as created by an older version with "never"
      const created = (await t.db.apiToken.findFirstOrThrow({ where: { userId: u.id } })).createdAt;
      expect(await authenticateBearer(t.db, `Bearer ${token}`, new Date(created.getTime() + maxTokenLifetimeMs - 60_000))).not.toBeNull();
      expect(await authenticateBearer(t.db, `Bearer ${token}`, new Date(created.getTime() + maxTokenLifetimeMs + 1))).toBeNull();
    });
  });

  describe("issue 10: tokens trusted again for 2 s", () => {
    it("a revoke, a role change or disabling in this process takes effect at once; a change made elsewhere within 2 s", async () => {
      const u = await newUser();
      const { token, dto } = await createApiToken(t.db, u.id, { name: "cached", scopes: ["read"], expiresInMs: 3_600_000 }, system);
      const bearer = `Bearer ${token}`;
      expect(await authenticateBearer(t.db, bearer)).not.toBeNull();
      // revoked by another process (a direct write): still trusted within 2 s, not after
      await t.db.apiToken.update({ where: { id: dto.id }, data: { revokedAt: new Date() } });
      expect(await authenticateBearer(t.db, bearer)).not.toBeNull();
      expect(await authenticateBearer(t.db, bearer, new Date(Date.now() + 2100))).toBeNull();

      const { token: second, dto: secondDto } = await createApiToken(t.db, u.id, { name: "cached-2", scopes: ["read"], expiresInMs: 3_600_000 }, system);
      expect(await authenticateBearer(t.db, `Bearer ${second}`)).not.toBeNull();
      expect(await revokeApiToken(t.db, secondDto.id, u.id, system)).toBe(true);
      expect(await authenticateBearer(t.db, `Bearer ${second}`)).toBeNull(); // at once

      const { token: third } = await createApiToken(t.db, u.id, { name: "cached-3", scopes: ["read", "operate"], expiresInMs: 3_600_000 }, system);
      expect((await authenticateBearer(t.db, `Bearer ${third}`))?.scopes).toEqual(["read", "operate"]);
      await changeRole(t.db, u.id, "viewer", system);
      expect((await authenticateBearer(t.db, `Bearer ${third}`))?.scopes).toEqual(["read"]);
      await setDisabled(t.db, u.id, true, system);
      expect(await authenticateBearer(t.db, `Bearer ${third}`)).toBeNull();
    });
  });

  describe("13.3 a password change ends what it should", () => {
    it("changing a password revokes the user's API tokens unless they are kept, and says so in the audit log", async () => {
      const u = await newUser();
      const { token: a } = await createApiToken(t.db, u.id, { name: "a", scopes: ["read"], expiresInMs: 3_600_000 }, system);
      expect(await setPassword(t.db, u.id, "next-password-22", system)).toEqual({ tokensRevoked: 1 });
      expect(await authenticateBearer(t.db, `Bearer ${a}`)).toBeNull();
      const { token: b } = await createApiToken(t.db, u.id, { name: "b", scopes: ["read"], expiresInMs: 3_600_000 }, system);
      expect(await setPassword(t.db, u.id, "third-password-33", system, { keepTokens: true })).toEqual({ tokensRevoked: 0 });
      expect(await authenticateBearer(t.db, `Bearer ${b}`)).not.toBeNull();
      const details = (await t.db.auditEntry.findMany({ where: { action: "user.password", targetId: u.id }, orderBy: { id: "asc" } })).map((e) => JSON.parse(e.detail));
      expect(details).toEqual([{ apiAccessRevoked: 1, apiAccessKept: false }, { apiAccessRevoked: 0, apiAccessKept: true }]);
    });

    it("a reset from the CLI always revokes the user's tokens", async () => {
      const u = await newUser();
      const { token } = await createApiToken(t.db, u.id, { name: "cli", scopes: ["read"], expiresInMs: 3_600_000 }, system);
      const out = execFileSync(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(root, "lib/cli/keyward.ts"), "user", "reset-password", "--email", u.email, "--password-stdin"], {
        cwd: root, input: "reset-password-444", encoding: "utf8", env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: "silent" },
      });
      expect(out).toMatch(/1 API token\(s\) revoked/);
      expect(await authenticateBearer(t.db, `Bearer ${token}`)).toBeNull();
    });
  });

  describe("13.4 throttling that holds", () => {
    const ip = "203.0.113.7";
    const fail = async (email: string, times: number, at: Date) => {
      for (let i = 0; i < times; i++) await login(t.db, email, "wrong-password-x", { ip, userAgent: null }, at);
    };

    it("after five failures, 40 parallel logins check one password at most, and the right one is refused while blocked", async () => {
      const u = await newUser();
      const t0 = new Date(Date.now() - 10 * 60_000);
      await fail(u.email, throttlePolicy.pair.freeAttempts, t0); // the fifth failure blocks for a second
      argon2Verifies.length = 0;
      const now = new Date(t0.getTime() + 5000); // the block has ended
      const attempts = Array.from({ length: 40 }, (_, i) => login(t.db, u.email, i === 20 ? "a-good-password-1" : `wrong-${i}-password`, { ip, userAgent: null }, now));
      const results = await Promise.all(attempts);
      expect(argon2Verifies.length).toBeLessThanOrEqual(1);
      // unless the right password happened to win the one check, nobody got in
      const okCount = results.filter((r) => r.ok).length;
      expect(okCount).toBeLessThanOrEqual(1);
      if (okCount === 0) expect((await login(t.db, u.email, "a-good-password-1", { ip, userAgent: null }, new Date(now.getTime() + 10))).ok).toBe(false);
      const row = await t.db.authThrottle.findUniqueOrThrow({ where: { subject: throttleSubject.pair(u.id, ip) } }).catch(() => null);
      if (okCount === 0) expect(row!.attempts).toBe(throttlePolicy.pair.freeAttempts + 1); // one more charge, not forty
    });

    it("throttling is per account and address: an attacker at one address cannot lock the owner out from another", async () => {
      const u = await newUser("owner");
      const now = new Date();
      await fail(u.email, throttlePolicy.pair.freeAttempts + 2, now);
      expect((await login(t.db, u.email, "a-good-password-1", { ip, userAgent: null }, now)).ok).toBe(false);
      expect((await login(t.db, u.email, "a-good-password-1", { ip: "198.51.100.2", userAgent: null }, now)).ok).toBe(true);
    });

    it("a blocked account answers in about the time an unknown one does (no enumeration), without argon2 work", async () => {
      const u = await newUser();
      const now = new Date();
      await fail(u.email, throttlePolicy.pair.freeAttempts, now);
      const time = async (fn: () => Promise<unknown>) => {
        const t0 = performance.now();
        await fn();
        return performance.now() - t0;
      };
      const blocked: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 5; i++) {
        argon2Verifies.length = 0;
        blocked.push(await time(() => login(t.db, u.email, "x-password-000", { ip, userAgent: null }, now)));
        expect(argon2Verifies).toEqual([]); // not even the dummy verify
        unknown.push(await time(() => login(t.db, `nobody-${i}-${kind}@example.test`, "x-password-000", { ip: `192.0.2.${i}`, userAgent: null }, now)));
      }
      const median = (a: number[]) => a.sort((x, y) => x - y)[2]!;
      expect(median(blocked)).toBeGreaterThan(median(unknown) * 0.5);
      expect(median(blocked)).toBeLessThan(median(unknown) * 2 + 20);
    });

    it("re-authentication and password-change attempts are throttled and audited like logins", async () => {
      const u = await newUser();
      const results = [];
      for (let i = 0; i < throttlePolicy.pair.freeAttempts + 1; i++) results.push(await confirmPassword(t.db, u.id, "wrong-password-x", i % 2 ? "reauth" : "password-change", ip));
      expect(results.slice(0, throttlePolicy.pair.freeAttempts)).toEqual(Array(throttlePolicy.pair.freeAttempts).fill("wrong"));
      expect(results.at(-1)).toBe("throttled");
      expect(await confirmPassword(t.db, u.id, "a-good-password-1", "reauth", ip)).toBe("throttled");
      expect(await t.db.auditEntry.count({ where: { actorId: u.id, action: { in: ["reauth.fail", "password-change.fail"] } } })).toBe(throttlePolicy.pair.freeAttempts + 2);
      // the same check logins use
      const user = await t.db.user.findUniqueOrThrow({ where: { id: u.id }, omit: { passwordHash: false } });
      expect(await checkPassword(t.db, user, "a-good-password-1", ip)).toBe("throttled");
      expect(await checkPassword(t.db, user, "a-good-password-1", "198.51.100.9")).toBe("ok");
    });

    it("logins for unknown emails are limited per address", async () => {
      const attacker = `198.18.${n}.1`;
      const now = new Date();
      argon2Verifies.length = 0;
      for (let i = 0; i < throttlePolicy.unknown.freeAttempts + 3; i++) await login(t.db, `ghost-${i}-${kind}@example.test`, "x-password-000", { ip: attacker, userAgent: null }, now);
      expect(argon2Verifies).toHaveLength(throttlePolicy.unknown.freeAttempts); // the rest were refused without argon2 work
      expect((await t.db.authThrottle.findUniqueOrThrow({ where: { subject: throttleSubject.unknown(attacker) } })).blockedUntil!.getTime()).toBeGreaterThan(now.getTime());
    });
  });

  describe("13.5 audit log privacy", () => {
    it("a failed login for an unknown account records 'unknown account', never the text typed", async () => {
      const typed = `my-secret-password-${kind}@oops.example`;
      await login(t.db, typed, "whatever-typed-here", { ip: "192.0.2.77", userAgent: null });
      const entry = await t.db.auditEntry.findFirstOrThrow({ where: { action: "login.fail" }, orderBy: { id: "desc" } });
      expect(entry.actorLabel).toBe(unknownAccountLabel);
      const all = (await t.db.auditEntry.findMany()).map((e) => JSON.stringify(e)).join("\n");
      expect(all).not.toContain("my-secret-password");
    });
  });

  describe("13.6 strict input", () => {
    it("two simultaneous creations of one email give the normal 'already exists' message", async () => {
      const email = `twice-${kind}@example.test`;
      const results = await Promise.allSettled([0, 1].map(() => createUser(t.db, { email, role: "viewer", password: "a-good-password-1" }, system)));
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(rejected).toHaveLength(1);
      expect(rejected[0]!.reason).toBeInstanceOf(UserError);
      expect(rejected[0]!.reason.message).toBe(`A user with email ${email} already exists.`);
    });
  });
});

describe.each(databaseKinds)("13.1 the upgrade on %s merges keys stored twice: keeps the oldest, revokes the rest, audits it", (kind) => {
  it("keeps sessions and tokens, stops the copies' bots", async () => {
    const throwaway = await createThrowawayDatabase(kind);
    const db = createDb(throwaway.url);
    try {
      await applyMigrations(throwaway.url, { upTo: "20261122112752_init" }); // a database of the previous release
      // rows as the previous release wrote them (today's client would write columns that table does not have)
      const sql = (q: string) => db.$executeRawUnsafe(q);
      await sql(`INSERT INTO "User" ("id", "email", "role", "passwordHash", "updatedAt") VALUES ('u1', 'old@example.test', 'owner', 'x', CURRENT_TIMESTAMP)`);
      await sql(`INSERT INTO "Session" ("id", "tokenHash", "userId", "expiresAt") VALUES ('s1', 'h', 'u1', CURRENT_TIMESTAMP)`);
      const fp = fingerprintOf("demo", "same-key");
      const ids = ["key-0", "key-1", "key-2"];
      for (const [i, id] of ids.entries()) {
        await sql(`INSERT INTO "ExchangeKey" ("id", "label", "exchange", "maskedKeyId", "fingerprint", "updatedAt") VALUES ('${id}', 'copy ${i}', 'demo', '-key', '${fp}', CURRENT_TIMESTAMP)`);
        await sql(`INSERT INTO "Bot" ("id", "name", "keyId", "exchange", "symbol", "strategy", "maxOrderNotional", "maxDailyLoss", "updatedAt") VALUES ('bot-${i}', 'bot ${i}', '${id}', 'demo', 'BTC/USDT', 'dca', '10', '5', CURRENT_TIMESTAMP)`);
      }
      expect(await prepareDatabase(throwaway.url)).toMatchObject({ revokedDuplicates: 2 });
      const keys = await db.exchangeKey.findMany({ where: { id: { in: ids } }, orderBy: { id: "asc" }, include: { bot: true } });
      expect(keys.map((k) => [k.label, k.status, k.liveFingerprint])).toEqual([["copy 0", "active", fp], ["copy 1", "revoked", null], ["copy 2", "revoked", null]]);
      expect(keys[1]!.statusMessage).toMatch(/same exchange key is stored as "copy 0"/);
      expect(keys.map((k) => k.bot!.status)).toEqual(["stopped", "stopped", "stopped"]);
      expect(keys[2]!.bot!.statusMessage).toMatch(/second copy of "copy 0"/);
      expect(await db.auditEntry.count({ where: { action: "key.revoke-duplicate" } })).toBe(2);
      expect(await db.session.count()).toBe(1); // the migration kept the user's sessions
      expect(await prepareDatabase(throwaway.url)).toMatchObject({ applied: [], revokedDuplicates: 0 }); // idempotent
    } finally {
      await db.$disconnect();
      await throwaway.drop();
    }
  });
});
