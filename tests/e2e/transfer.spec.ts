/**
 * Issue 15: a key that can transfer funds between wallets or sub-accounts is
 * refused at add unless its label is typed, then carries a red badge wherever
 * its scopes show; a re-check that finds transfer newly enabled pauses its bot
 * with the reason shown.
 */
import { expect, test } from "@playwright/test";
import { addKey, botControl, createBot, demoAdminCall, mintDemoKey } from "./helpers";

test("issue 15: transfer refused at add, accepted by typing the label, badged on every page; a re-check that finds it pauses the bot", async ({ page }) => {
  const mover = await mintDemoKey({ read: true, trade: true, transfer: true });
  const form = await addKey(page, "mover-key", mover);
  await expect(form.getByTestId("danger")).toContainText("This key can TRANSFER funds between wallets or sub-accounts");
  await expect(form.getByRole("alert").first()).toContainText("Refused: this key can transfer funds.");
  await expect(page.locator('[data-testid="key-row"][data-label="mover-key"]')).toHaveCount(0);
  await form.getByLabel("To accept the risk anyway, type the key's label").fill("mover-key");
  await form.getByRole("button", { name: "Verify and add" }).click();
  await expect(form.getByRole("status")).toContainText('Key "mover-key"');

  // keys list, banner on every page, overview warnings, bot page
  await page.reload();
  await expect(page.locator('[data-testid="key-row"][data-label="mover-key"]').getByTestId("badge-transfer")).toBeVisible();
  await expect(page.getByTestId("key-banner")).toContainText("can TRANSFER funds");
  await page.goto("/");
  await expect(page.getByTestId("warnings")).toContainText('Key "mover-key" can transfer funds between wallets or sub-accounts');
  const moverBot = await createBot(page, "mover-bot", "mover-key", "dca", "paper");
  await page.goto(moverBot);
  await expect(page.getByTestId("badge-transfer")).toBeVisible();

  // a clean key whose transfer right appears later: the re-check pauses its bot and says why
  const clean = await mintDemoKey({ read: true, trade: true });
  await expect((await addKey(page, "turns-key", clean)).getByRole("status")).toContainText('Key "turns-key"');
  const href = await createBot(page, "turns-bot", "turns-key", "dca", "paper");
  await page.goto(href);
  await botControl(page, "Start");
  await expect(page.getByTestId("bot-status").first()).toHaveAttribute("data-status", "running", { timeout: 30_000 });
  await demoAdminCall("PATCH", `/_demo/keys/${clean.apiKey}`, { permissions: { transfer: true } });
  await page.goto("/keys");
  const row = page.locator('[data-testid="key-row"][data-label="turns-key"]');
  await row.getByRole("button", { name: "Re-check" }).click();
  await expect(row.getByRole("status")).toContainText("transfer permission was turned ON", { timeout: 20_000 });
  await page.goto(href);
  await expect(page.getByTestId("bot-status").first()).toHaveAttribute("data-status", "paused", { timeout: 30_000 });
  await expect(page.locator("main")).toContainText("its key can now transfer funds between wallets or sub-accounts");
  await expect(page.getByTestId("badge-transfer")).toBeVisible();
});
