/**
 * Issue 16 on real SQLite and PostgreSQL: the sign-in's second step, one use
 * per authenticator code, single-use recovery codes, the shared throttle under
 * 40 parallel guesses, the sealed secret, and the host's reset.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { login } from "@/lib/auth/login";
import { throttlePolicy } from "@/lib/auth/policy";
import { createSession, validateSession } from "@/lib/auth/sessions";
import { createUser } from "@/lib/auth/users";
import { checkSecondFactor, secondFactorRefusal } from "@/lib/auth/two-factor/check";
import { openFactorSecret } from "@/lib/auth/two-factor/factor-key";
import { factorSummary, removeOwnFactor } from "@/lib/auth/two-factor/factors";
import { consumePendingSignIn, validatePendingSignIn } from "@/lib/auth/two-factor/pending";
import { setTwoFactorPolicy } from "@/lib/auth/two-factor/policy";
import { regenerateRecoveryCodes } from "@/lib/auth/two-factor/recovery-codes";
import { acceptTotpCode, startTotpEnrolment } from "@/lib/auth/two-factor/totp";
import { databaseKinds, useTestDatabase } from "../helpers/databases";

// The second-factor key lives in a temp directory of this test file (env() reads it on first use).
const keyDir = mkdtempSync(path.join(os.tmpdir(), "keyward-2fa-"));
process.env.KEYWARD_2FA_KEY_FILE = path.join(keyDir, "second-factor.key");

const root = path.resolve(import.meta.dirname, "../..");
const system = { id: null, label: "test" };
const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp: ms });

describe.each(databaseKinds)("two-factor sign-in on %s", (kind) => {
  const t = useTestDatabase(kind);
  let n = 0;
  const meta = { ip: "192.0.2.44", userAgent: "vitest" };
  const newUser = async (role: "owner" | "operator" | "viewer" = "operator") => createUser(t.db, { email: `tf${++n}-${kind}@example.test`, role, password: "a-good-password-1" }, system);
  const enrolTotp = async (u: { id: string; email: string }, at: number) => {
    const e = await startTotpEnrolment(t.db, u);
    if (e === "already-enabled") throw new Error("already enabled");
    expect(await acceptTotpCode(t.db, u.id, codeAt(e.secret, at), new Date(at), { confirm: true })).toBe(true);
    return e.secret;
  };

  it("a password opens no session for a user with a factor: only a 5-minute pending step that validateSession refuses", async () => {
    const u = await newUser();
    const t0 = Date.now();
    await enrolTotp(u, t0);
    const r = await login(t.db, u.email, "a-good-password-1", meta);
    if (!r.ok || r.step !== "verify") throw new Error(`expected the second-factor step, got ${JSON.stringify(r)}`);
    expect(await validateSession(t.db, r.pendingToken)).toBeNull();
    expect(await t.db.session.count({ where: { userId: u.id } })).toBe(0);
    const pending = await validatePendingSignIn(t.db, r.pendingToken);
    expect(pending?.user.id).toBe(u.id);
    expect(await validatePendingSignIn(t.db, r.pendingToken, new Date(Date.now() + 5 * 60_000 + 1000))).toBeNull();
    expect(await consumePendingSignIn(t.db, pending!.id)).toBe(true);
    expect(await consumePendingSignIn(t.db, pending!.id)).toBe(false);
    expect(await validatePendingSignIn(t.db, r.pendingToken)).toBeNull();
  });

  it("the policy sends a covered user without a factor to enrolment; others get a session", async () => {
    const owner = await newUser("owner");
    const viewer = await newUser("viewer");
    const a = await login(t.db, owner.email, "a-good-password-1", meta);
    expect(a.ok && a.step).toBe("enrol");
    const b = await login(t.db, viewer.email, "a-good-password-1", meta);
    expect(b.ok && b.step).toBe("session");
    await setTwoFactorPolicy(t.db, "everyone");
    const c = await login(t.db, viewer.email, "a-good-password-1", meta);
    expect(c.ok && c.step).toBe("enrol");
    await setTwoFactorPolicy(t.db, "owners");
  });

  it("an authenticator code is accepted once: the same code, an older step or a simultaneous duplicate are refused", async () => {
    const u = await newUser();
    const t0 = Date.now();
    const secret = await enrolTotp(u, t0); // takes the current step
    expect(await acceptTotpCode(t.db, u.id, codeAt(secret, t0), new Date(t0 + 1000))).toBe(false); // same code again
    expect(await acceptTotpCode(t.db, u.id, codeAt(secret, t0 - 30_000), new Date(t0))).toBe(false); // older step
    const next = codeAt(secret, t0 + 30_000);
    const twice = await Promise.all([acceptTotpCode(t.db, u.id, next, new Date(t0 + 30_000)), acceptTotpCode(t.db, u.id, next, new Date(t0 + 30_000))]);
    expect(twice.filter(Boolean)).toHaveLength(1);
    expect(await acceptTotpCode(t.db, u.id, codeAt(secret, t0 + 5 * 60_000), new Date(t0 + 30_000))).toBe(false); // far outside the ±1 step window
  });

  it("recovery codes: ten, stored hashed, each works once, and using one is audited with the number left", async () => {
    const u = await newUser();
    await enrolTotp(u, Date.now());
    const codes = await regenerateRecoveryCodes(t.db, u.id);
    expect(new Set(codes).size).toBe(10);
    const stored = await t.db.recoveryCode.findMany({ where: { userId: u.id }, omit: { codeHash: false } });
    expect(JSON.stringify(stored)).not.toContain(codes[0]!.replace("-", ""));
    expect(JSON.stringify(stored)).not.toContain(codes[0]);
    expect(await checkSecondFactor(t.db, u, { code: codes[3]! }, meta.ip)).toEqual({ result: "ok", method: "recovery code" });
    expect(await checkSecondFactor(t.db, u, { code: codes[3]! }, meta.ip)).toEqual({ result: "wrong" });
    const audit = await t.db.auditEntry.findFirst({ where: { action: "second_factor.recovery_code_used", actorId: u.id }, orderBy: { id: "desc" } });
    expect(JSON.parse(audit!.detail)).toEqual({ left: 9, of: 10 });
  });

  it("after the limit, 40 parallel wrong codes pass none, and the right code is refused while blocked", async () => {
    const u = await newUser();
    const t0 = Date.now();
    const secret = await enrolTotp(u, t0 - 60_000);
    const now = new Date(t0);
    const answers: string[] = [];
    for (let i = 0; i < throttlePolicy.pair.freeAttempts; i++) answers.push((await checkSecondFactor(t.db, u, { code: "000000" }, meta.ip, now)).result);
    expect(answers).toEqual(Array(throttlePolicy.pair.freeAttempts).fill("wrong")); // the fifth blocks the next second
    const parallel = await Promise.all(Array.from({ length: 40 }, (_, i) => checkSecondFactor(t.db, u, { code: String(100000 + i) }, meta.ip, now)));
    expect(parallel.filter((r) => r.result === "ok")).toHaveLength(0);
    expect(parallel.every((r) => r.result === "throttled")).toBe(true);
    expect((await checkSecondFactor(t.db, u, { code: codeAt(secret, t0) }, meta.ip, now)).result).toBe("throttled");
    // a wrong password and a wrong code share the budget: the password step is blocked too
    const r = await login(t.db, u.email, "a-good-password-1", meta, now);
    expect(r.ok).toBe(false);
  });

  it("a correct password does not reset the code guesses' budget of a user with a factor", async () => {
    const u = await newUser();
    await enrolTotp(u, Date.now() - 60_000);
    const t0 = new Date(Date.now() - 30 * 60_000);
    for (let i = 0; i < throttlePolicy.pair.freeAttempts - 1; i++) await checkSecondFactor(t.db, u, { code: "000000" }, meta.ip, t0);
    expect((await login(t.db, u.email, "a-good-password-1", meta, new Date(t0.getTime() + 10))).ok).toBe(true);
    await checkSecondFactor(t.db, u, { code: "000000" }, meta.ip, new Date(t0.getTime() + 20)); // the fifth failure still counts
    expect((await checkSecondFactor(t.db, u, { code: "000000" }, meta.ip, new Date(t0.getTime() + 30))).result).toBe("throttled");
  });

  it("the secret is sealed to its row with the second-factor key (mode 0600), not stored in plain text", async () => {
    const u = await newUser();
    const secret = await enrolTotp(u, Date.now());
    const row = await t.db.totpFactor.findUniqueOrThrow({ where: { userId: u.id }, omit: { secretSealed: false } });
    const raw = Buffer.from(Secret.fromBase32(secret).bytes);
    expect(Buffer.from(row.secretSealed).includes(raw)).toBe(false);
    expect(openFactorSecret(row.secretSealed, { table: "TotpFactor", column: "secretSealed", rowId: row.id }).equals(raw)).toBe(true);
    expect(() => openFactorSecret(row.secretSealed, { table: "TotpFactor", column: "secretSealed", rowId: "another-row" })).toThrow(/decryption failed/);
    expect(statSync(process.env.KEYWARD_2FA_KEY_FILE!).mode & 0o777).toBe(0o600);
    expect(readFileSync(process.env.KEYWARD_2FA_KEY_FILE!, "utf8")).not.toContain(secret);
  });

  it("a secret that cannot be opened gives a clear answer, not a wrong-code one and not a crash", async () => {
    const u = await newUser();
    const secret = await enrolTotp(u, Date.now() - 60_000);
    const row = await t.db.totpFactor.findUniqueOrThrow({ where: { userId: u.id }, omit: { secretSealed: false } });
    const damaged = new Uint8Array(row.secretSealed);
    damaged[0] = 99; // an unknown blob version
    await t.db.totpFactor.update({ where: { id: row.id }, data: { secretSealed: damaged } });
    expect(await checkSecondFactor(t.db, u, { code: codeAt(secret, Date.now()) }, meta.ip)).toEqual({ result: "unavailable" });
    expect(secondFactorRefusal("unavailable")).toMatch(/passkey or a recovery code/);
  });

  it("the last factor cannot be removed while the policy requires one; removal is audited and raises user.second_factor_removed", async () => {
    await t.db.alertChannel.create({ data: { name: "ops", type: "webhook", config: JSON.stringify({ url: "http://127.0.0.1:9/hook", format: "json" }), events: JSON.stringify(["user.second_factor_removed"]) } });
    const owner = await newUser("owner");
    await enrolTotp(owner, Date.now());
    const actor = { id: owner.id, label: owner.email, ip: meta.ip };
    expect(await removeOwnFactor(t.db, owner, { kind: "authenticator" }, actor)).toBe("required");
    const operator = await newUser("operator");
    await enrolTotp(operator, Date.now());
    await regenerateRecoveryCodes(t.db, operator.id);
    expect(await removeOwnFactor(t.db, operator, { kind: "authenticator" }, { id: operator.id, label: operator.email, ip: meta.ip })).toBe("removed");
    expect(await factorSummary(t.db, operator.id)).toMatchObject({ totp: null, recoveryLeft: 0, any: false });
    const alert = await t.db.alert.findFirst({ where: { event: "user.second_factor_removed", subjectId: operator.id } });
    expect(alert?.message).toContain("authenticator app was removed");
    expect(await t.db.auditEntry.count({ where: { action: "second_factor.remove", targetId: operator.id } })).toBe(1);
  });

  it("`keyward user reset-2fa` removes every factor and ends the user's sessions", async () => {
    const u = await newUser("owner");
    await enrolTotp(u, Date.now());
    await regenerateRecoveryCodes(t.db, u.id);
    const token = await createSession(t.db, u.id, meta);
    const out = execFileSync(process.execPath, ["--import", "tsx", "--conditions=react-server", path.join(root, "lib/cli/keyward.ts"), "user", "reset-2fa", "--email", u.email], {
      cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: t.url, LOG_LEVEL: "silent" },
    });
    expect(out).toMatch(/1 factor\(s\) and their recovery codes removed, 1 session\(s\) ended/);
    expect(await validateSession(t.db, token)).toBeNull();
    expect(await factorSummary(t.db, u.id)).toMatchObject({ totp: null, passkeys: [], recoveryLeft: 0 });
    expect(await t.db.auditEntry.count({ where: { action: "second_factor.remove", targetId: u.id, actorLabel: "cli" } })).toBe(1);
  });
});
