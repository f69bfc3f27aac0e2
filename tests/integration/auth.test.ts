import { describe, expect, it, vi } from "vitest";
import { appendAudit } from "@/lib/audit/append";
import { verifyAuditChain } from "@/lib/audit/verify";
import { login, loginFailedMessage } from "@/lib/auth/login";
import { argon2Params, hashPassword, verifyPassword } from "@/lib/auth/password";
import { blockDelayMs, sessionPolicy, throttlePolicy } from "@/lib/auth/policy";
import { throttleSubject } from "@/lib/auth/throttle";
import { createSession, hasFreshAuth, revokeSession, validateSession } from "@/lib/auth/sessions";
import { tokenHash } from "@/lib/auth/tokens";
import { createUser, setPassword } from "@/lib/auth/users";
import { argon2Verifies } from "../helpers/argon2-counter";
import { databaseKinds, useTestDatabase } from "../helpers/databases";

vi.mock("@node-rs/argon2", async (original) => (await import("../helpers/argon2-counter")).countVerifies(original));

const meta = { ip: "127.0.0.9", userAgent: "vitest" };
const system = { id: null, label: "test" };

describe.each(databaseKinds)("accounts on %s", (kind) => {
  const t = useTestDatabase(kind);
  let n = 0;
  const newUser = async (password = "a-good-password-1") => createUser(t.db, { email: `u${++n}-${kind}@example.test`, role: "operator", password }, system);
  const hashOf = async (id: string) => (await t.db.user.findUniqueOrThrow({ where: { id }, omit: { passwordHash: false } })).passwordHash;

  it("SECURITY.md 10: stored PHC strings are argon2id with m ≥ 19456, t ≥ 2, p = 1", async () => {
    const u = await newUser();
    const phc = await hashOf(u.id);
    const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(19456);
    expect(Number(m![2])).toBeGreaterThanOrEqual(2);
    expect(Number(m![3])).toBe(1);
  });

  it("SECURITY.md 10: a weaker hash is upgraded at the next successful login", async () => {
    const u = await newUser();
    const { hash } = await import("@node-rs/argon2");
    const weak = await hash("a-good-password-1", { ...argon2Params, memoryCost: 8192, timeCost: 1 });
    await t.db.user.update({ where: { id: u.id }, data: { passwordHash: weak } });
    expect((await login(t.db, u.email, "a-good-password-1", meta)).ok).toBe(true);
    const after = await hashOf(u.id);
    expect(after).not.toBe(weak);
    expect(after).toMatch(/m=19456,t=2,p=1/);
  });

  it("SECURITY.md 11: unknown user and wrong password get the same answer, both after argon2 work", async () => {
    const u = await newUser();
    argon2Verifies.length = 0;
    const wrong = await login(t.db, u.email, "not-the-password", meta);
    expect(argon2Verifies).toEqual([await hashOf(u.id)]);
    const unknown = await login(t.db, `nobody-${kind}@example.test`, "not-the-password", meta);
    expect(argon2Verifies).toHaveLength(2); // the unknown user still costs an argon2 verify, against the dummy hash
    expect(argon2Verifies[1]).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(wrong).toEqual({ ok: false });
    expect(unknown).toEqual(wrong);
    expect(loginFailedMessage).toMatch(/Email or password is incorrect/);
    // Timing, as a sanity check on top: neither path is faster than about one bare argon2 verify
    // measured in the same loop. (Not one path against the other: they do different database
    // work, and a ratio between them measured PostgreSQL under load, not argon2.)
    const phc = await hashOf(u.id);
    const timings: Record<string, number[]> = { verify: [], wrong: [], unknown: [] };
    const time = async (name: string, f: () => Promise<unknown>) => {
      const t0 = performance.now();
      await f();
      timings[name]!.push(performance.now() - t0);
    };
    for (let i = 0; i < 5; i++) {
      const fresh = await newUser(); // a fresh account, so throttling never kicks in
      await time("verify", () => verifyPassword(phc, "x-password-000"));
      await time("unknown", () => login(t.db, `nobody-${kind}@example.test`, "x-password-000", meta));
      await time("wrong", () => login(t.db, fresh.email, "x-password-000", meta));
    }
    const median = (a: number[]) => a.sort((x, y) => x - y)[2]!;
    const verifyMs = median(timings.verify!);
    expect(verifyMs).toBeGreaterThan(2); // argon2 at these parameters is never near-free
    expect(median(timings.unknown!)).toBeGreaterThan(verifyMs * 0.5);
    expect(median(timings.wrong!)).toBeGreaterThan(verifyMs * 0.5);
  });

  it("SECURITY.md 12: growing delay, at most 100 failures an hour, no argon2 work while blocked", async () => {
    const rule = throttlePolicy.pair;
    expect(blockDelayMs(rule, rule.freeAttempts - 1)).toBe(0);
    expect(blockDelayMs(rule, 6)).toBeGreaterThan(blockDelayMs(rule, 5));
    expect(blockDelayMs(rule, 100)).toBe(rule.windowMs);
    expect(blockDelayMs(throttlePolicy.account, 100)).toBe(throttlePolicy.account.windowMs);

    const u = await newUser();
    let now = new Date("2030-01-01T00:00:00Z");
    for (let i = 0; i < rule.freeAttempts; i++) {
      await login(t.db, u.email, "wrong-password-x", meta, now);
      now = new Date(now.getTime() + 100);
    }
    const row = await t.db.authThrottle.findUniqueOrThrow({ where: { subject: throttleSubject.pair(u.id, meta.ip) } });
    expect(row.attempts).toBe(rule.freeAttempts);
    expect(row.blockedUntil!.getTime()).toBeGreaterThan(now.getTime());

    // even the right password is refused, without argon2 work (not even the dummy verify), while blocked
    argon2Verifies.length = 0;
    expect((await login(t.db, u.email, "a-good-password-1", meta, now)).ok).toBe(false);
    expect(argon2Verifies).toEqual([]);

    // after the block, the right password works and clears the pair's counter
    const later = new Date(row.blockedUntil!.getTime() + 1);
    expect((await login(t.db, u.email, "a-good-password-1", meta, later)).ok).toBe(true);
    expect(await t.db.authThrottle.findUnique({ where: { subject: throttleSubject.pair(u.id, meta.ip) } })).toBeNull();
  });

  it("SECURITY.md 13: 256-bit session tokens, only their hash stored, new token per login", async () => {
    const u = await newUser();
    const a = await login(t.db, u.email, "a-good-password-1", meta);
    const b = await login(t.db, u.email, "a-good-password-1", meta);
    if (!a.ok || !b.ok || a.step !== "session" || b.step !== "session") throw new Error("login failed");
    expect(Buffer.from(a.token, "base64url")).toHaveLength(32);
    expect(a.token).not.toBe(b.token);
    const rows = await t.db.session.findMany({ where: { userId: u.id }, omit: { tokenHash: false } });
    expect(rows.map((r) => r.tokenHash).sort()).toEqual([tokenHash(a.token), tokenHash(b.token)].sort());
    expect(JSON.stringify(rows)).not.toContain(a.token);
  });

  it("SECURITY.md 13: idle (30 min) and absolute (12 h) timeouts; logout and password change invalidate server-side", async () => {
    const u = await newUser();
    const t0 = new Date("2031-01-01T00:00:00Z");
    const token = await createSession(t.db, u.id, meta, t0);
    expect(await validateSession(t.db, token, new Date(t0.getTime() + sessionPolicy.idleMs - 1000))).not.toBeNull();
    // used every 20 minutes: still valid until the absolute limit
    let at = t0.getTime();
    while (at + 20 * 60_000 < t0.getTime() + sessionPolicy.absoluteMs) {
      at += 20 * 60_000;
      expect(await validateSession(t.db, token, new Date(at))).not.toBeNull();
    }
    expect(await validateSession(t.db, token, new Date(t0.getTime() + sessionPolicy.absoluteMs + 1))).toBeNull();

    const idle = await createSession(t.db, u.id, meta, t0);
    expect(await validateSession(t.db, idle, new Date(t0.getTime() + sessionPolicy.idleMs + 61_000))).toBeNull();

    const now = new Date();
    const s1 = await createSession(t.db, u.id, meta, now);
    const s2 = await createSession(t.db, u.id, meta, now);
    const v1 = await validateSession(t.db, s1, now);
    await revokeSession(t.db, v1!.sessionId, u.id);
    expect(await validateSession(t.db, s1, now)).toBeNull();
    expect(await validateSession(t.db, s2, now)).not.toBeNull();
    await setPassword(t.db, u.id, "another-password-2", system);
    expect(await validateSession(t.db, s2, now)).toBeNull();
  });

  it("SECURITY.md 14: fresh-auth window of 5 minutes", () => {
    const now = new Date();
    expect(hasFreshAuth({ reauthAt: new Date(now.getTime() - 4 * 60_000) }, now)).toBe(true);
    expect(hasFreshAuth({ reauthAt: new Date(now.getTime() - 6 * 60_000) }, now)).toBe(false);
    expect(hasFreshAuth({ reauthAt: null }, now)).toBe(false);
  });

  it("SECURITY.md 26: the audit chain verifies, and editing or deleting an entry is detected and named", async () => {
    await t.db.auditEntry.deleteMany();
    for (let i = 0; i < 5; i++) await appendAudit(t.db, { actor: system, action: "test.entry", detail: { i, password: "never-stored" } });
    expect(await verifyAuditChain(t.db)).toEqual({ ok: true, entries: 5 });
    const entries = await t.db.auditEntry.findMany({ orderBy: { id: "asc" } });
    expect(entries.map((e) => e.detail).join()).not.toContain("never-stored");

    await t.db.auditEntry.update({ where: { id: entries[2]!.id }, data: { actorLabel: "someone else" } });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenAt: entries[2]!.id, reason: expect.stringContaining("changed") });
    await t.db.auditEntry.update({ where: { id: entries[2]!.id }, data: { actorLabel: "test" } });
    expect((await verifyAuditChain(t.db)).ok).toBe(true);

    await t.db.auditEntry.delete({ where: { id: entries[1]!.id } });
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: false, brokenAt: entries[2]!.id, reason: expect.stringContaining("removed") });
  });

  it("SECURITY.md 26: concurrent appends keep one unbroken chain", async () => {
    await t.db.auditEntry.deleteMany();
    await Promise.all(Array.from({ length: 10 }, (_, i) => appendAudit(t.db, { actor: system, action: "race", detail: { i } })));
    expect(await verifyAuditChain(t.db)).toEqual({ ok: true, entries: 10 });
  });

  it("hashPassword is slow enough to matter (argon2id really runs)", async () => {
    const t0 = performance.now();
    await hashPassword("x".repeat(20));
    expect(performance.now() - t0).toBeGreaterThan(5);
  });
});
