import { expect, test } from "@playwright/test";
import { demoAdminCall, demoKey, expectFitsPhone, formWith, mintDemoKey, submitWithReauth } from "./helpers";

test("adding keys: withdraw refused then overridden with a red badge and banner; an IP-restricted read+trade key gets no warning", async ({ page }) => {
  const risky = await mintDemoKey({ read: true, trade: true, withdraw: true }, false);
  await page.goto("/keys");
  const keysBefore = await page.getByTestId("key-row").count();
  const form = formWith(page, "Verify and add");
  await form.getByLabel("Exchange").fill("demo");
  await form.getByLabel("Label").fill("risky-key");
  await form.getByLabel("API key").fill(risky.apiKey);
  await form.getByLabel("API secret").fill(risky.secret);
  await submitWithReauth(page, form, "Verify and add");
  await expect(form.getByTestId("danger")).toContainText("This key can WITHDRAW funds");
  await expect(page.getByTestId("key-row")).toHaveCount(keysBefore);

  // the typed label overrides; the fields kept their values
  await form.getByLabel("To accept the risk anyway, type the key's label").fill("risky-key");
  await form.getByRole("button", { name: "Verify and add" }).click();
  await expect(form.getByRole("status")).toContainText('Key "risky-key"');
  await expect(form.getByTestId("warning").first()).toContainText("not IP-restricted");
  await page.reload();
  const riskyRow = page.locator('[data-testid="key-row"][data-label="risky-key"]');
  await expect(riskyRow.getByTestId("badge-withdraw")).toBeVisible();
  await expect(riskyRow.getByTestId("badge-no-ip")).toBeVisible();
  await expect(riskyRow).toContainText(`${risky.apiKey.slice(0, 4)}…${risky.apiKey.slice(-4)}`);
  await expect(page.getByTestId("key-banner")).toContainText("can WITHDRAW funds");
  await page.goto("/bots");
  await expect(page.getByTestId("key-banner")).toBeVisible(); // on every page
  await page.goto("/");
  await expect(page.getByTestId("warnings")).toContainText('Key "risky-key" can withdraw funds');
  await expect(page.getByTestId("warnings")).toContainText('Key "risky-key" is not restricted');

  const safe = await mintDemoKey({ read: true, trade: true, withdraw: false }, true);
  await page.goto("/keys");
  await form.getByLabel("Label").fill("safe-key");
  await form.getByLabel("API key").fill(safe.apiKey);
  await form.getByLabel("API secret").fill(safe.secret);
  await submitWithReauth(page, form, "Verify and add");
  await expect(form.getByRole("status")).toContainText('Key "safe-key"');
  await expect(form.getByTestId("warning")).toHaveCount(0);
  const safeRow = page.locator('[data-testid="key-row"][data-label="safe-key"]');
  await expect(safeRow).toContainText("IP-restricted");
  await expect(safeRow.getByTestId("badge-no-ip")).toHaveCount(0);
  await expect(safeRow.getByTestId("badge-withdraw")).toHaveCount(0);

  // withdraw turned on at the exchange: Re-check (done by the worker) shows it
  await demoAdminCall("PATCH", `/_demo/keys/${safe.apiKey}`, { permissions: { withdraw: true } });
  await safeRow.getByRole("button", { name: "Re-check" }).click();
  await expect(safeRow.getByRole("status")).toContainText("withdraw permission was turned ON", { timeout: 20_000 });
  await page.reload();
  await expect(page.locator('[data-testid="key-row"][data-label="safe-key"]').getByTestId("badge-withdraw")).toBeVisible();
});

test("a wrong secret is refused with what to do, and nothing is stored", async ({ page }) => {
  const k = await mintDemoKey({ read: true, trade: true, withdraw: false }, true);
  await page.goto("/keys");
  const before = await page.getByTestId("key-row").count();
  const form = formWith(page, "Verify and add");
  await form.getByLabel("Label").fill("typo-key");
  await form.getByLabel("API key").fill(k.apiKey);
  await form.getByLabel("API secret").fill("x".repeat(64));
  await submitWithReauth(page, form, "Verify and add");
  await expect(form.getByRole("alert").first()).toContainText("The exchange rejected the key");
  await page.reload();
  await expect(page.getByTestId("key-row")).toHaveCount(before);
});

test("a newcomer mints a demo key in the UI; the compromised-key drill revokes it and shows the checklist", async ({ page }) => {
  await page.goto("/keys");
  const form = formWith(page, "Create demo key");
  await form.getByLabel("Label").fill("drill-key");
  await form.getByLabel("withdraw", { exact: true }).check();
  await submitWithReauth(page, form, "Create demo key");
  // withdraw without typing the label: refused, and nothing is stored
  await expect(form.getByTestId("danger")).toContainText("This key can WITHDRAW funds");
  await expect(page.locator('[data-testid="key-row"][data-label="drill-key"]')).toHaveCount(0);
  await form.getByLabel("withdraw", { exact: true }).uncheck();
  await form.getByRole("button", { name: "Create demo key" }).click();
  await expect(form.getByRole("status")).toContainText('Key "drill-key"');
  await page.reload();
  const row = page.locator('[data-testid="key-row"][data-label="drill-key"]');
  await expect(row).toContainText("IP-restricted");

  // the drill from a phone: the key list fits its width (the exchange, the bot and the status under the label; a long label wraps), the button on screen
  await demoKey(page, `phone-${"x".repeat(54)}`); // the longest label, without a space
  await page.reload();
  await expectFitsPhone(page, row, "This key may be compromised");
  await expect(row.locator("td").first()).toContainText("Demo (Binance API) · free · active");
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "This key may be compromised" }).click();
  const report = page.getByTestId("revocation");
  await expect(report).toContainText('Treated as compromised: Key "drill-key" revoked', { timeout: 20_000 });
  await expect(report.getByTestId("steps")).toContainText("Create a new key with read and trade permission only");
  await expect(page.locator('[data-testid="key-row"][data-label="drill-key"]')).toContainText("revoked");
  await page.goto("/audit?action=key.compromised");
  await expect(page.getByTestId("audit-row").first()).toContainText("key.compromised");
});
