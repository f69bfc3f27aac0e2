import { expect, test, type Page } from "@playwright/test";
import { owner } from "./helpers";

const demoAdmin = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3200) + 1}`;

async function mintKey(permissions: { read: boolean; trade: boolean; withdraw: boolean }, ipRestrict: boolean) {
  const account = await (await fetch(`${demoAdmin}/_demo/accounts`, { method: "POST", body: JSON.stringify({ balances: { USDT: "5000" } }) })).json();
  const res = await fetch(`${demoAdmin}/_demo/keys`, { method: "POST", body: JSON.stringify({ accountId: account.accountId, permissions, ipRestrict, ips: ipRestrict ? ["127.0.0.1", "::1"] : [] }) });
  return (await res.json()) as { apiKey: string; secret: string };
}

/** Submits; if asked for the password again, confirms and submits once more. */
async function submit(page: Page, form: ReturnType<Page["locator"]>, button: string) {
  await form.getByRole("button", { name: button }).click();
  const confirm = page.getByLabel("Confirm your password");
  const answer = form.getByRole("alert").or(form.getByRole("status")).or(confirm);
  await expect(answer.first()).toBeVisible({ timeout: 20_000 });
  if (await confirm.isVisible()) {
    await confirm.fill(owner.password);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByText("Password confirmed")).toBeVisible();
    await form.getByRole("button", { name: button }).click();
  }
}

test("adding keys: withdraw refused then overridden with a red badge and banner; an IP-restricted read+trade key gets no warning", async ({ page }) => {
  const risky = await mintKey({ read: true, trade: true, withdraw: true }, false);
  await page.goto("/keys");
  const keysBefore = await page.getByTestId("key-row").count();
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Verify and add" }) }).locator("..");
  await form.getByLabel("Exchange").fill("demo");
  await form.getByLabel("Label").fill("risky-key");
  await form.getByLabel("API key").fill(risky.apiKey);
  await form.getByLabel("API secret").fill(risky.secret);
  await submit(page, form, "Verify and add");
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
  await expect(riskyRow).toContainText(`…${risky.apiKey.slice(-4)}`);
  await expect(page.getByTestId("key-banner")).toContainText("can WITHDRAW funds");
  await page.goto("/bots");
  await expect(page.getByTestId("key-banner")).toBeVisible(); // on every page
  await page.goto("/");
  expect(Number(await page.getByTestId("stat-keys that can withdraw").locator("div").first().textContent())).toBeGreaterThanOrEqual(1);

  const safe = await mintKey({ read: true, trade: true, withdraw: false }, true);
  await page.goto("/keys");
  await form.getByLabel("Label").fill("safe-key");
  await form.getByLabel("API key").fill(safe.apiKey);
  await form.getByLabel("API secret").fill(safe.secret);
  await submit(page, form, "Verify and add");
  await expect(form.getByRole("status")).toContainText('Key "safe-key"');
  await expect(form.getByTestId("warning")).toHaveCount(0);
  const safeRow = page.locator('[data-testid="key-row"][data-label="safe-key"]');
  await expect(safeRow).toContainText("IP-restricted");
  await expect(safeRow.getByTestId("badge-no-ip")).toHaveCount(0);
  await expect(safeRow.getByTestId("badge-withdraw")).toHaveCount(0);

  // withdraw turned on at the exchange: Re-check (done by the worker) shows it
  await fetch(`${demoAdmin}/_demo/keys/${safe.apiKey}`, { method: "PATCH", body: JSON.stringify({ permissions: { withdraw: true } }) });
  await safeRow.getByRole("button", { name: "Re-check" }).click();
  await expect(safeRow.getByRole("status")).toContainText("withdraw permission was turned ON", { timeout: 20_000 });
  await page.reload();
  await expect(page.locator('[data-testid="key-row"][data-label="safe-key"]').getByTestId("badge-withdraw")).toBeVisible();
});

test("a wrong secret is refused with what to do, and nothing is stored", async ({ page }) => {
  const k = await mintKey({ read: true, trade: true, withdraw: false }, true);
  await page.goto("/keys");
  const before = await page.getByTestId("key-row").count();
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Verify and add" }) }).locator("..");
  await form.getByLabel("Label").fill("typo-key");
  await form.getByLabel("API key").fill(k.apiKey);
  await form.getByLabel("API secret").fill("x".repeat(64));
  await submit(page, form, "Verify and add");
  await expect(form.getByRole("alert").first()).toContainText("The exchange rejected the key");
  await page.reload();
  await expect(page.getByTestId("key-row")).toHaveCount(before);
});

test("a newcomer mints a demo key in the UI; the compromised-key drill revokes it and shows the checklist", async ({ page }) => {
  await page.goto("/keys");
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Create demo key" }) }).locator("..");
  await form.getByLabel("Label").fill("drill-key");
  await form.getByLabel("withdraw", { exact: true }).check();
  await form.getByRole("button", { name: "Create demo key" }).click();
  const confirm = page.getByLabel("Confirm your password");
  await expect(form.getByRole("alert").or(form.getByRole("status")).or(confirm).first()).toBeVisible({ timeout: 20_000 });
  if (await confirm.isVisible()) {
    await confirm.fill(owner.password);
    await page.getByRole("button", { name: "Confirm" }).click();
    await expect(page.getByText("Password confirmed")).toBeVisible();
    await form.getByRole("button", { name: "Create demo key" }).click();
  }
  // withdraw without typing the label: refused, and nothing is stored
  await expect(form.getByTestId("danger")).toContainText("This key can WITHDRAW funds");
  await expect(page.locator('[data-testid="key-row"][data-label="drill-key"]')).toHaveCount(0);
  await form.getByLabel("withdraw", { exact: true }).uncheck();
  await form.getByRole("button", { name: "Create demo key" }).click();
  await expect(form.getByRole("status")).toContainText('Key "drill-key"');
  await page.reload();
  const row = page.locator('[data-testid="key-row"][data-label="drill-key"]');
  await expect(row).toContainText("IP-restricted");

  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "This key may be compromised" }).click();
  const report = page.getByTestId("revocation");
  await expect(report).toContainText('Treated as compromised: Key "drill-key" revoked', { timeout: 20_000 });
  await expect(report.getByTestId("steps")).toContainText("Create a new key with read and trade permission only");
  await expect(page.locator('[data-testid="key-row"][data-label="drill-key"]')).toContainText("revoked");
  await page.goto("/audit?action=key.compromised");
  await expect(page.getByTestId("audit-row").first()).toContainText("key.compromised");
});
