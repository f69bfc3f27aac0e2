import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createApiToken } from "@/lib/auth/api-tokens";
import { createUser } from "@/lib/auth/users";
import { createDb } from "@/lib/db/client";
import { applyMigrations } from "@/lib/db/migrations";
import { createThrowawayDatabase, type Throwaway } from "@/lib/db/throwaway";
import { loadVault } from "@/lib/vault/keyring";
import { openSealed } from "@/lib/vault/open";
import { startDemo } from "../helpers/demo-exchange";
import { health, isAlive, startApp, waitFor, type RunningApp } from "../helpers/app-process";

// The first start may run `next build`; give it time.
const bootMs = 240_000;

/** How many of the process's file descriptors are open on `file`. */
function openFiles(pid: number, file: string): number {
  const dir = `/proc/${pid}/fd`;
  return readdirSync(dir).filter((fd) => {
    try {
      return readlinkSync(path.join(dir, fd)) === file;
    } catch {
      return false; // closed meanwhile
    }
  }).length;
}

describe("npm start: supervised web + worker", () => {
  let app: RunningApp | undefined;
  let pgDb: Throwaway | undefined;

  afterEach(async () => {
    if (app && app.proc.exitCode === null) {
      app.proc.kill("SIGKILL");
      for (const pid of ["web", "worker", "demo-exchange"].flatMap((n) => app!.childPids(n))) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // gone
        }
      }
    }
    await pgDb?.drop();
    app = pgDb = undefined;
  });

  it(
    "serves /api/health with a fresh worker heartbeat on SQLite with no configuration; a SIGKILLed worker comes back; SIGTERM stops every process within 10 s",
    async () => {
      app = startApp(3310);
      const a = app;
      const first = await waitFor("healthy app", async () => {
        const h = await health(a.baseUrl);
        return h.status === "ok" && (h.worker.lastHeartbeatAgeMs ?? Infinity) < 10_000 ? h : undefined;
      }, bootMs, a);
      expect(first).toMatchObject({ status: "ok", db: "ok", version: expect.any(String) });

      // the embedded demo exchange answers on PORT+1
      expect((await fetch("http://127.0.0.1:3311/api/v3/ping")).status).toBe(200);
      const [workerPid] = a.childPids("worker");
      const [webPid] = a.childPids("web");
      // one SQLite connection in the web process: its pages and its worker watch (every 5 s) share it,
      // so a write never waits on a transaction another connection of the same process holds open
      await new Promise((r) => setTimeout(r, 5_500));
      expect(openFiles(webPid!, path.join(realpathSync(a.dataDir), "keyward.db"))).toBe(1);
      process.kill(workerPid!, "SIGKILL");
      const restartedAt = Date.now();
      await waitFor("worker restarted", async () => (a.childPids("worker").length === 2 ? true : undefined), 15_000, a);
      await waitFor("fresh heartbeat from the new worker", async () => {
        const h = await health(a.baseUrl);
        return (h.worker.lastHeartbeatAgeMs ?? Infinity) < 2_000 && Date.now() - restartedAt > 1_000 ? h : undefined;
      }, 15_000, a);
      expect(Date.now() - restartedAt).toBeLessThan(15_000);

      const pids = [webPid!, ...a.childPids("worker"), ...a.childPids("demo-exchange"), a.proc.pid!];
      const stopAt = Date.now();
      a.proc.kill("SIGTERM");
      await waitFor("every process gone", async () => (pids.every((p) => !isAlive(p)) ? true : undefined), 10_000, a);
      expect(Date.now() - stopAt).toBeLessThan(10_000);
      expect(await a.exited).toBe(0);
    },
    bootMs + 60_000,
  );

  it(
    "runs the same on PostgreSQL when DATABASE_URL says so",
    async () => {
      pgDb = await createThrowawayDatabase("postgres");
      app = startApp(3320, { DATABASE_URL: pgDb.url });
      const a = app;
      const h = await waitFor("healthy app on PostgreSQL", async () => {
        const body = await health(a.baseUrl);
        return body.status === "ok" ? body : undefined;
      }, bootMs, a);
      expect(h.db).toBe("ok");
      expect(a.output()).toContain("database PostgreSQL");
      expect(a.output()).not.toContain(pgDb.url);
      a.proc.kill("SIGTERM");
      expect(await a.exited).toBe(0);
    },
    bootMs + 30_000,
  );

  it(
    "SECURITY.md 7: a worker whose vault key file is missing refuses with a clear message, is not restart-looped, deletes nothing; the web stays up",
    async () => {
      app = startApp(3340);
      const a = app;
      await waitFor("healthy app", async () => ((await health(a.baseUrl)).status === "ok" ? true : undefined), bootMs, a);
      const keyFile = path.join(a.dataDir, "vault.key");
      expect(existsSync(keyFile)).toBe(true);
      expect(a.output()).toContain(`Created the vault key at ${keyFile}`);
      renameSync(keyFile, `${keyFile}.away`);
      process.kill(a.childPids("worker")[0]!, "SIGKILL");
      await waitFor("worker refusal", async () => (/not restarting it/.test(a.output()) ? true : undefined), 20_000, a);
      expect(a.output()).toMatch(/Worker refused to start: Vault key file .* is missing.*Nothing has been deleted/);
      await new Promise((r) => setTimeout(r, 2500));
      expect(a.childPids("worker")).toHaveLength(2); // the original and one refused attempt, no loop
      expect(existsSync(`${keyFile}.away`)).toBe(true);
      const h = await health(a.baseUrl);
      expect(h.db).toBe("ok");
      expect((await fetch(`${a.baseUrl}/login`, { redirect: "manual" })).status).toBeLessThan(400);
      a.proc.kill("SIGTERM");
      expect(await a.exited).toBe(0);
    },
    bootMs + 60_000,
  );

  it(
    "SIGTERM to the whole process group of `npm start | tee log` (as Playwright and shells do) leaves no process behind",
    async () => {
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "keyward-tee-"));
      const logFile = path.join(dataDir, "server.log");
      const root = path.resolve(import.meta.dirname, "../..");
      const sh = spawn("sh", ["-c", `node --import tsx lib/cli/start.ts 2>&1 | tee '${logFile}' > /dev/null`], {
        cwd: root,
        detached: true,
        stdio: "ignore",
        env: { ...process.env, PORT: "3350", DEMO_EXCHANGE_PORT: "3351", KEYWARD_DATA_DIR: dataDir, WORKER_HEARTBEAT_MS: "1000" },
      });
      const log = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
      try {
        await waitFor("healthy app", async () => ((await health("http://127.0.0.1:3350")).status === "ok" ? true : undefined), bootMs);
        const pids = [...log().matchAll(/\] [\w-]+ started \(pid (\d+)\)/g)].map((m) => Number(m[1]));
        const supervisor = Number(readFileSync(`/proc/${sh.pid}/task/${sh.pid}/children`, "utf8").trim().split(/\s+/)[0]);
        expect(pids).toHaveLength(3);
        const t0 = Date.now();
        process.kill(-sh.pid!, "SIGTERM");
        const survivors = () => [...pids, supervisor].filter(isAlive).map((p) => `${p} ${readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ").slice(0, 80)}`);
        await waitFor("every process gone", async () => (survivors().length === 0 ? true : undefined), 10_000).catch((err: Error) => {
          throw new Error(`${err.message} after ${Date.now() - t0} ms; still running: ${survivors().join(" | ")}\n${log().slice(-1500)}`);
        });
      } finally {
        try {
          process.kill(-sh.pid!, "SIGKILL");
        } catch {
          // gone
        }
      }
    },
    bootMs + 30_000,
  );

  it(
    "SECURITY.md 8: the web server with no vault private key at all seals a key added over HTTP; only the key file's holder can open it",
    async () => {
      const db = await createThrowawayDatabase("sqlite");
      const demo = await startDemo();
      const workerDir = mkdtempSync(path.join(os.tmpdir(), "keyward-worker-side-"));
      const client = createDb(db.url);
      let web: ChildProcess | undefined;
      try {
        await applyMigrations(db.url);
        const { keyring } = await loadVault(client, path.join(workerDir, "vault.key")); // the worker side publishes the public key
        const user = await createUser(client, { email: "o@example.test", role: "owner", password: "owner-password-1" }, { id: null, label: "test" });
        const { token } = await createApiToken(client, user.id, { name: "t", scopes: ["admin"], expiresInMs: 3_600_000 }, { id: null, label: "test" });
        const minted = await demo.key(await demo.account({ USDT: "1" }), { read: true, trade: true }, { ipRestrict: true, ips: ["127.0.0.1"] });

        const root = path.resolve(import.meta.dirname, "../..");
        const missing = path.join(workerDir, "no-such-dir", "vault.key");
        web = spawn(process.execPath, ["--import", "tsx", path.join(root, "lib/web/server.ts")], {
          cwd: root,
          detached: true,
          stdio: "ignore",
          env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", PORT: "3360", DATABASE_URL: db.url, KEYWARD_VAULT_KEY_FILE: missing, DEMO_EXCHANGE_URL: demo.url, KEYWARD_DATA_DIR: workerDir },
        });
        await waitFor("web up", async () => ((await fetch("http://127.0.0.1:3360/api/health")).ok ? true : undefined), 60_000);
        const res = await fetch("http://127.0.0.1:3360/api/v1/keys", {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({ exchange: "demo", label: "sealed-by-web", apiKey: minted.apiKey, secret: minted.secret }),
        });
        const body = await res.text();
        expect(res.status, body).toBe(201);
        expect(body).not.toContain(minted.secret);
        expect(existsSync(missing)).toBe(false);
        const row = await client.exchangeKey.findFirstOrThrow({ where: { label: "sealed-by-web" }, omit: { secretSealed: false } });
        expect(openSealed(row.secretSealed!, { table: "ExchangeKey", column: "secretSealed", rowId: row.id }, keyring).toString()).toBe(minted.secret);
      } finally {
        if (web?.pid) process.kill(-web.pid, "SIGKILL");
        await client.$disconnect();
        await demo.close();
        await db.drop();
      }
    },
    bootMs,
  );

  it("refuses to start with a bad variable and says which and what to set", async () => {
    app = startApp(3330, { PORT: "not-a-port" });
    expect(await app.exited).toBe(1);
    expect(app.output()).toMatch(/PORT: must be a port number/);
    expect(app.output()).toContain(".env.example");
  });
});
