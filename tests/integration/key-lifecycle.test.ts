import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { Writable } from "node:stream";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOrderId } from "@/lib/bots/client-order-id";
import { processCommands } from "@/lib/bots/commands";
import { recheckKey } from "@/lib/bots/recheck-key";
import { createBot } from "@/lib/bot-settings/save-bot";
import { botSchema } from "@/lib/validation/keys";
import { dbKind } from "@/lib/db/client";
import { addKey } from "@/lib/keys/add-key";
import { revokeKey } from "@/lib/keys/revoke-key";
import { rotateBotKey } from "@/lib/keys/rotate-key";
import { askWorker } from "@/lib/keys/worker-command";
import { createLogger } from "@/lib/log";
import { loadVault } from "@/lib/vault/keyring";
import type { Keyring } from "@/lib/vault/open";
import { databaseKinds, useTestDatabase } from "../helpers/databases";
import { startDemo, type RunningDemo } from "../helpers/demo-exchange";

const actor = { id: null, label: "test", ip: null };
const quiet = createLogger(new Writable({ write: (_c, _e, cb) => cb() }));

describe.each(databaseKinds)("key lifecycle through web and worker on %s", (kind) => {
  const t = useTestDatabase(kind);
  let d: RunningDemo;
  let keyring: Keyring;
  let vaultFile: string;
  let n = 0;
  beforeAll(async () => {
    d = await startDemo();
    vaultFile = path.join(mkdtempSync(path.join(os.tmpdir(), "keyward-kl-")), "vault.key");
    ({ keyring } = await loadVault(t.db, vaultFile));
  });
  afterAll(() => d.close());

  /** Plays the worker: processes commands until one is done (bounded). */
  async function answerOneCommand(): Promise<void> {
    for (let i = 0; i < 100; i++) {
      const ctx = { db: t.db, keyring, vaultFile, demoUrl: d.url, log: quiet, workerId: "w-test" };
      const done = await processCommands(ctx);
      keyring = ctx.keyring;
      if (done) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function keyAndBot(perms: { read: boolean; trade: boolean; withdraw?: boolean }) {
    const minted = await d.key(await d.account({ USDT: "1000" }), perms, { ipRestrict: true, ips: ["127.0.0.1"] });
    const label = `k${++n}`;
    const added = await addKey(t.db, { exchange: "demo", label, apiKey: minted.apiKey, secret: minted.secret, password: undefined, acceptWithdrawRisk: perms.withdraw ? label : undefined }, actor, d.url);
    if (!added.ok) throw new Error("not added");
    const bot = await createBot(t.db, botSchema.parse({ name: `bot-${label}`, keyId: added.key.id, symbol: "BTC/USDT", strategy: "dca", params: {}, mode: "paper", maxOrderNotional: "100", maxDailyLoss: "50", maxOpenOrders: 3 }), {}, actor, d.url);
    return { minted, keyId: added.key.id, botId: bot.id };
  }

  it("withdraw turned on at the exchange: re-check records it, warns, and pauses the bot", async () => {
    const { minted, keyId, botId } = await keyAndBot({ read: true, trade: true });
    expect(await recheckKey({ db: t.db, keyring, demoUrl: d.url }, keyId)).toBe("unchanged");
    await d.admin("PATCH", `/_demo/keys/${minted.apiKey}`, { permissions: { withdraw: true }, ipRestrict: false });
    const result = await recheckKey({ db: t.db, keyring, demoUrl: d.url }, keyId);
    expect(result).toMatch(/withdraw permission was turned ON; IP restriction was REMOVED/);
    expect(await t.db.exchangeKey.findUniqueOrThrow({ where: { id: keyId } })).toMatchObject({ canWithdraw: true, ipRestricted: false });
    expect(await t.db.bot.findUniqueOrThrow({ where: { id: botId } })).toMatchObject({ status: "paused", desiredState: "stopped" });
    const event = await t.db.botEvent.findFirstOrThrow({ where: { keyId, kind: "key.scopes-changed" } });
    expect(event.level).toBe("warn");
  });

  it("a key with an accepted withdraw override is not paused by re-check", async () => {
    const { keyId, botId } = await keyAndBot({ read: true, trade: true, withdraw: true });
    expect(await recheckKey({ db: t.db, keyring, demoUrl: d.url }, keyId)).toBe("unchanged");
    expect((await t.db.bot.findUniqueOrThrow({ where: { id: botId } })).status).toBe("stopped");
  });

  it("a key deleted at the exchange is marked rejected and its bot paused", async () => {
    const { minted, keyId, botId } = await keyAndBot({ read: true, trade: true });
    await d.admin("DELETE", `/_demo/keys/${minted.apiKey}`);
    expect(await recheckKey({ db: t.db, keyring, demoUrl: d.url }, keyId)).toMatch(/^rejected/);
    expect((await t.db.exchangeKey.findUniqueOrThrow({ where: { id: keyId } })).status).toBe("rejected");
    expect((await t.db.bot.findUniqueOrThrow({ where: { id: botId } })).status).toBe("paused");
  });

  it("revoke with cancel: the worker cancels the bot's open orders, leaves the account's others (named), then the ciphertext is destroyed", async () => {
    const { minted, keyId, botId } = await keyAndBot({ read: true, trade: true });
    const ex = d.client(minted);
    await ex.loadMarkets();
    await ex.createOrder("BTC/USDT", "limit", "buy", 0.001, 20000, { clientOrderId: clientOrderId("demo", botId, 1) });
    await ex.createOrder("BTC/USDT", "limit", "buy", 0.001, 21000, { clientOrderId: clientOrderId("demo", botId, 2) });
    const notTheBots = await ex.createOrder("BTC/USDT", "limit", "buy", 0.001, 22000); // by hand, or another bot's on the same account
    const worker = answerOneCommand(); // a worker answering while the web side waits
    const r = await revokeKey(t.db, keyId, { cancelOrders: true }, actor);
    await worker;
    expect(r.cancelReport).toBe("cancelled 2 open order(s) of the bot on BTC/USDT; left 1 open order(s) the bot did not place (another bot's or program's on the same account: see them on the exchange)");
    expect((await ex.fetchOpenOrders("BTC/USDT")).map((o) => o.id)).toEqual([notTheBots.id]);
    const row = await t.db.exchangeKey.findUniqueOrThrow({ where: { id: keyId }, omit: { secretSealed: false, apiKeySealed: false } });
    expect(row).toMatchObject({ status: "revoked", secretSealed: null, apiKeySealed: null });
  });

  it("revocation works when the exchange is down: local first, the failure reported", async () => {
    const { minted, keyId } = await keyAndBot({ read: true, trade: true });
    await d.admin("POST", "/_demo/faults", { apiKey: minted.apiKey, kind: "error5xx", durationMs: 60_000 });
    const worker = answerOneCommand();
    const r = await revokeKey(t.db, keyId, { cancelOrders: true }, actor);
    await worker;
    await d.admin("DELETE", "/_demo/faults");
    expect(r.cancelReport).toMatch(/could not cancel open orders \(retryable\)/);
    expect((await t.db.exchangeKey.findUniqueOrThrow({ where: { id: keyId } })).status).toBe("revoked");
  });

  it("rotate: the bot takes a new key through the add flow, keeps its history, and the old key is revoked", async () => {
    const { keyId: oldKeyId, botId } = await keyAndBot({ read: true, trade: true });
    await t.db.order.create({ data: { botId, keyId: oldKeyId, clientOrderId: `hist-${kind}`, symbol: "BTC/USDT", side: "buy", type: "limit", price: "1", amount: "1", fencingToken: 1, status: "closed" } });
    const fresh = await d.key(await d.account({ USDT: "10" }), { read: true, trade: true }, { ipRestrict: true, ips: ["127.0.0.1"] });
    await expect(rotateBotKey(t.db, botId, { exchange: "binance", label: "wrong", apiKey: fresh.apiKey, secret: fresh.secret, password: undefined, acceptWithdrawRisk: undefined }, actor, d.url)).rejects.toThrow(/must be for the bot's exchange \(demo\)/);
    const r = await rotateBotKey(t.db, botId, { exchange: "demo", label: `rotated-${kind}`, apiKey: fresh.apiKey, secret: fresh.secret, password: undefined, acceptWithdrawRisk: undefined }, actor, d.url);
    expect(r.ok).toBe(true);
    const bot = await t.db.bot.findUniqueOrThrow({ where: { id: botId }, include: { key: true } });
    expect(bot.key?.label).toBe(`rotated-${kind}`);
    expect((await t.db.exchangeKey.findUniqueOrThrow({ where: { id: oldKeyId } })).status).toBe("revoked");
    expect(await t.db.order.count({ where: { botId } })).toBe(1);
    expect(await t.db.auditEntry.count({ where: { action: "key.rotate", targetId: botId } })).toBe(1);
  });

  it("SECURITY.md 6, 14: vault rotation asked of the worker rewraps every stored key; the worker's next commands use the new key", async () => {
    const { keyId } = await keyAndBot({ read: true, trade: true });
    const before = (await t.db.vaultKey.findFirstOrThrow({ where: { status: "primary" } })).version;
    const [result] = await Promise.all([askWorker(t.db, { kind: "vault-rotate", createdById: null }, 20_000), answerOneCommand()]);
    expect(result).toMatch(new RegExp(`vault key v${before + 1} is primary; \\d+ stored key\\(s\\) rewrapped`));
    expect((await t.db.exchangeKey.findUniqueOrThrow({ where: { id: keyId } })).vaultKeyVersion).toBe(before + 1);
    // a command after the rotation opens the rewrapped credentials
    const [recheck] = await Promise.all([askWorker(t.db, { kind: "recheck-key", keyId, createdById: null }, 20_000), answerOneCommand()]);
    expect(recheck).toBe("unchanged");
  });

  it("SECURITY.md 18: the secret is not in the database in plaintext (pg_dump / the SQLite file)", async () => {
    const minted = await d.key(await d.account({ USDT: "1" }), { read: true, trade: true }, { ipRestrict: true, ips: ["127.0.0.1"] });
    const added = await addKey(t.db, { exchange: "demo", label: "dump-canary", apiKey: minted.apiKey, secret: minted.secret, password: undefined, acceptWithdrawRisk: undefined }, actor, d.url);
    expect(added.ok).toBe(true);
    const file = t.url.slice("file:".length);
    const dump =
      dbKind(t.db) === "postgres"
        ? execFileSync("pg_dump", ["--data-only", t.url], { encoding: "utf8" })
        : [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString("latin1")).join("");
    expect(dump).toContain("dump-canary");
    expect(dump).not.toContain(minted.secret);
    expect(dump).not.toContain(minted.apiKey);
  });
});
