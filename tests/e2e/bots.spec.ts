import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { createToken, dataDir, formWith, mintDemoKey, submitWithReauth } from "./helpers";

test("key → bot → second bot refused → revoke: bot stopped, ciphertext gone, audit kept; the secret appears nowhere", async ({ page, playwright, baseURL }) => {
  const bodies: string[] = [];
  page.on("response", async (r) => {
    try {
      bodies.push(await r.text());
    } catch {
      // redirects and aborted requests have no body
    }
  });
  const canary = await mintDemoKey({ read: true, trade: true }); // its secret is the canary

  // add the key through the browser
  await page.goto("/keys");
  const keyForm = formWith(page, "Verify and add");
  await keyForm.getByLabel("Label").fill("canary-key");
  await keyForm.getByLabel("API key").fill(canary.apiKey);
  await keyForm.getByLabel("API secret").fill(canary.secret);
  await submitWithReauth(page, keyForm, "Verify and add");
  await expect(keyForm.getByRole("status")).toContainText('Key "canary-key"');

  // a bot with it
  await page.goto("/bots");
  const botForm = formWith(page, "Create bot");
  await botForm.getByLabel("Name").fill("canary-bot");
  await botForm.getByLabel("Key").selectOption({ label: `canary-key (Demo, ${canary.apiKey.slice(0, 4)}…${canary.apiKey.slice(-4)})` });
  await botForm.getByLabel("Symbol").fill("NOPE/USDT");
  await botForm.getByRole("button", { name: "Create bot" }).click();
  await expect(botForm.getByText("Demo has no market NOPE/USDT").or(botForm.getByText("demo has no market NOPE/USDT"))).toBeVisible();
  await botForm.getByLabel("Symbol").fill("BTC/USDT");
  // an order size every order of which the risk limit would refuse is named under both fields
  await botForm.getByLabel("Max order notional (quote)").fill("20");
  await botForm.getByRole("button", { name: "Create bot" }).click();
  await expect(botForm.getByText("Each buy of 25 counts as up to 25.25")).toBeVisible();
  await expect(botForm.getByText("At least 25.25 for buys of 25.")).toBeVisible();
  await botForm.getByLabel("Max order notional (quote)").fill("100");
  // so is a max position under one buy at the price now (25 USDT is about 0.0004 BTC)
  await botForm.getByLabel("Max position (base, optional)").fill("0.0001");
  await botForm.getByRole("button", { name: "Create bot" }).click();
  await expect(botForm.getByText(/^At least 0\.000\d+ BTC for one buy of 25 USDT at the price now\.$/)).toBeVisible();
  await botForm.getByLabel("Max position (base, optional)").fill("");
  await botForm.getByRole("button", { name: "Create bot" }).click();
  await expect(botForm.getByRole("status")).toContainText('Bot "canary-bot" created');
  await page.reload();
  await expect(page.locator('[data-testid="bot-row"][data-name="canary-bot"]')).toContainText("BTC/USDT");

  // the key is no longer offered, and the server refuses a second bot on it (the API, with an admin token)
  const db = new Database(path.join(dataDir, "keyward.db"), { readonly: true });
  const keyId = (db.prepare("SELECT id FROM ExchangeKey WHERE label = ?").get("canary-key") as { id: string }).id;
  const token = await createToken(page, "e2e admin", ["read", "admin"]);
  const api = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] }, extraHTTPHeaders: { authorization: `Bearer ${token}` } });
  const second = await api.post("/api/v1/bots", { data: { name: "thief", keyId, symbol: "BTC/USDT", strategy: "dca", params: {}, mode: "paper", maxOrderNotional: "30", maxDailyLoss: "5", maxOpenOrders: 1 } });
  expect(second.status()).toBe(409);
  expect((await second.json()).error.message).toContain('already used by bot "canary-bot"');
  expect((await (await api.get("/api/v1/bots")).json()).bots.map((b: { name: string }) => b.name)).not.toContain("thief");
  const openapi = await (await api.get("/api/v1/openapi.json")).json();
  expect(openapi.openapi).toBe("3.1.0");
  expect(openapi.paths["/api/v1/keys"].post.requestBody.content["application/json"].schema.properties).toHaveProperty("acceptWithdrawRisk");

  const sealedBefore = db.prepare("SELECT length(secretSealed) AS n FROM ExchangeKey WHERE id = ?").get(keyId) as { n: number };
  expect(sealedBefore.n).toBeGreaterThan(100);

  // revoke from the Keys page, cancelling open orders first
  await page.goto("/keys");
  const row = page.locator('[data-testid="key-row"][data-label="canary-key"]');
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  const report = page.getByTestId("revocation");
  await expect(report).toContainText('Key "canary-key" revoked; its ciphertext is destroyed.', { timeout: 30_000 });
  await expect(report).toContainText('Bot "canary-bot" stopped.');
  await expect(report).toContainText("Open orders: cancelled 0 open order(s) of the bot on BTC/USDT");
  await expect(report.getByTestId("steps")).toContainText("DELETE /_demo/keys");

  const after = db.prepare("SELECT status, apiKeySealed, secretSealed, passwordSealed, fingerprint FROM ExchangeKey WHERE id = ?").get(keyId) as Record<string, unknown>;
  expect(after).toMatchObject({ status: "revoked", apiKeySealed: null, secretSealed: null, passwordSealed: null });
  expect(String(after.fingerprint)).toMatch(/^[0-9a-f]{64}$/);
  const bot = db.prepare("SELECT status, desiredState FROM Bot WHERE name = ?").get("canary-bot") as Record<string, unknown>;
  expect(bot).toEqual({ status: "stopped", desiredState: "stopped" });
  const actions = (db.prepare("SELECT action FROM AuditEntry WHERE targetId IN (?, (SELECT id FROM Bot WHERE name = 'canary-bot'))").all(keyId) as { action: string }[]).map((a) => a.action);
  expect(actions).toEqual(expect.arrayContaining(["key.add", "bot.create", "key.revoke"]));
  db.close();

  await page.goto("/bots");
  await expect(page.locator('[data-testid="bot-row"][data-name="canary-bot"]').getByTestId("bot-status")).toContainText("its key was revoked");

  // SECURITY.md 18: the canary secret is in no response, no log line, not in plaintext in the database files
  for (const b of bodies) expect(b.includes(canary.secret)).toBe(false);
  expect(readFileSync(path.join(dataDir, "server.log"), "utf8")).not.toContain(canary.secret);
  for (const f of readdirSync(dataDir).filter((f) => f.startsWith("keyward.db"))) {
    expect(readFileSync(path.join(dataDir, f)).includes(Buffer.from(canary.secret)), f).toBe(false);
  }
});
