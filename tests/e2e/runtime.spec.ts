/**
 * Issue 8 in the browser: bots trade, started and stopped from the Bots page,
 * their orders on their page (also after a change of symbol); the kill switch
 * stops every bot.
 */
import { expect, test, type Page } from "@playwright/test";
import { botControl, createBot, demoKey, expectFitsPhone, formWith } from "./helpers";

async function paperBot(page: Page, name: string, keyLabel: string): Promise<void> {
  await page.goto("/bots");
  // the form follows the strategy: its parameters with their defaults
  await formWith(page, "Create bot").getByLabel("Strategy").selectOption("market-maker");
  await expect(formWith(page, "Create bot").getByLabel(/Distance between the buy and the sell/)).toHaveValue("0.1");
  await createBot(page, name, keyLabel, "market-maker", "paper", { "Distance between the buy and the sell, in % of the mid price": "0.05" });
}

const row = (page: Page, name: string) => page.locator(`[data-testid="bot-row"][data-name="${name}"]`);

test("issue 8: a paper bot from a demo key starts, its orders appear on its page, and it stops", async ({ page }) => {
  await demoKey(page, "runtime-key");
  await paperBot(page, "runtime-mm", "runtime-key");
  await page.goto("/bots");
  await row(page, "runtime-mm").getByRole("button", { name: "Start" }).click();
  await expect(row(page, "runtime-mm").getByTestId("bot-status")).toHaveAttribute("data-status", "running", { timeout: 30_000 });

  // on a phone's width the list fits without scrolling sideways (the symbol and mode under the name); the controls are on the bot's page
  const desktop = page.viewportSize()!;
  await expectFitsPhone(page, row(page, "runtime-mm"));
  await expect(row(page, "runtime-mm")).toContainText("DEMO/USDT · paper");
  await expect(row(page, "runtime-mm").getByRole("button", { name: "Stop" })).toBeHidden();
  await row(page, "runtime-mm").getByRole("link", { name: "runtime-mm" }).click();
  await expect(page.getByRole("heading", { name: "runtime-mm" })).toBeVisible();
  await expect(page.getByTestId("bot-controls").getByRole("button", { name: "Stop" })).toBeInViewport();
  await page.setViewportSize(desktop);
  await expect(page.getByTestId("orders").getByTestId("order-row").first()).toBeVisible({ timeout: 30_000 }); // the page refreshes itself
  await expect(page.getByTestId("orders")).toContainText("(paper)");
  await expect(page.getByTestId("events")).toContainText("order.new");

  await botControl(page, "Stop");
  await expect(page.getByTestId("bot-status").first()).toHaveAttribute("data-status", "stopped", { timeout: 30_000 });
  await expect(page.getByTestId("open-orders")).toHaveCount(0); // stopping cancelled them
  await expect(page.getByText("No open orders.")).toBeVisible();

  // another symbol: the earlier orders stay in its history, marked with theirs; the position and PnL start afresh
  await page.goto("/bots");
  await row(page, "runtime-mm").getByRole("link", { name: "Edit" }).click();
  const form = formWith(page, "Save bot");
  await form.getByLabel("Symbol").fill("BTC/USDT");
  await form.getByRole("button", { name: "Save bot" }).click();
  await expect(form.getByRole("status")).toContainText('Bot "runtime-mm" saved');
  await page.goto("/bots");
  await row(page, "runtime-mm").getByRole("link", { name: "runtime-mm" }).click();
  await expect(page.getByTestId("orders").getByTestId("order-row").first()).toContainText("(paper) (DEMO/USDT)");
  await expect(page.getByText("No position yet")).toBeVisible();
});

test("issue 8: the kill switch stops every bot and cancels their orders", async ({ page }) => {
  await demoKey(page, "kill-key-1");
  await demoKey(page, "kill-key-2");
  await paperBot(page, "kill-a", "kill-key-1");
  await paperBot(page, "kill-b", "kill-key-2");
  await page.goto("/bots");
  for (const name of ["kill-a", "kill-b"]) await row(page, name).getByRole("button", { name: "Start" }).click();
  for (const name of ["kill-a", "kill-b"]) await expect(row(page, name).getByTestId("bot-status")).toHaveAttribute("data-status", "running", { timeout: 30_000 });

  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Kill switch: stop every bot" }).click();
  await expect(page.getByText(/Kill switch: \d+ bot\(s\) stopping/)).toBeVisible();
  for (const r of await page.getByTestId("bot-row").all()) await expect(r.getByTestId("bot-status")).toHaveAttribute("data-status", /stopped|error/, { timeout: 30_000 });
  await page.goto("/audit?action=bots.kill-switch");
  await expect(page.getByTestId("audit-row").first()).toContainText("bots.kill-switch");
});
