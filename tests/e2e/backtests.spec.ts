/**
 * Issue 11 in the browser: run a backtest on the demo exchange's history,
 * watch its progress, read the report with its charts, and create a paper
 * bot from it.
 */
import { expect, test } from "@playwright/test";
import { demoKey, formWith, screenshotColours, submitWithReauth } from "./helpers";

test("issue 11: a backtest from the UI — progress, report, non-blank charts — and a paper bot from it", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await demoKey(page, "backtest-key"); // for the bot made from the report
  await page.goto("/backtests");
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Run backtest" }) });
  await form.getByLabel("Name").fill("e2e sma");
  await form.getByLabel("Symbol").fill("DEMO/USDT");
  await form.getByLabel("Timeframe").selectOption("1h");
  await form.getByLabel("Strategy").selectOption("sma-cross");
  await form.getByLabel("Candles in the fast average").fill("3");
  await form.getByLabel("Candles in the slow average").fill("12");
  await form.getByLabel("Days of history").fill("25");
  await form.getByRole("button", { name: "Run backtest" }).click();

  await page.waitForURL(/\/backtests\/[^/]+$/);
  // 600 candles from the demo exchange: downloading them takes a few seconds, shown as progress
  await expect(page.getByRole("progressbar", { name: "Backtest progress" })).toBeVisible();
  const summary = page.getByTestId("summary");
  await expect(summary).toBeVisible({ timeout: 90_000 });
  await expect(summary).toContainText("Final equity");
  await expect(summary).toContainText("USDT");
  await expect(page.getByTestId("fill-row").first()).toBeVisible();

  for (const id of ["equity-chart", "drawdown-chart", "price-chart"]) {
    const chart = page.getByTestId(id);
    await chart.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    const shot = await chart.screenshot();
    await testInfo.attach(id, { body: shot, contentType: "image/png" });
    const { colours, markerPixels } = await screenshotColours(page, shot, id === "price-chart" ? [0x05, 0x96, 0x69] : id === "equity-chart" ? [0x25, 0x63, 0xeb] : [0xdc, 0x26, 0x26]);
    expect(colours, id).toBeGreaterThan(15); // lines, grid and axis text: not a blank box
    expect(markerPixels, id).toBeGreaterThan(10); // the equity line (blue), the drawdown (red), a buy arrow (green)
  }

  await page.getByTestId("create-bot").click();
  await expect(page).toHaveURL(/\/bots\?fromBacktest=/);
  await expect(page.getByTestId("prefilled")).toBeVisible();
  const botForm = formWith(page, "Create bot");
  await expect(botForm.getByLabel("Name")).toHaveValue("e2e sma (paper)");
  await expect(botForm.getByLabel("Symbol")).toHaveValue("DEMO/USDT");
  await expect(botForm.getByLabel("Strategy")).toHaveValue("sma-cross");
  await expect(botForm.getByLabel("Candles in the fast average")).toHaveValue("3");
  await expect(botForm.getByLabel("Candles in the slow average")).toHaveValue("12");
  await expect(botForm.getByLabel("paper", { exact: true })).toBeChecked();
  const key = botForm.getByLabel("Key").locator("option", { hasText: "backtest-key (" });
  await botForm.getByLabel("Key").selectOption((await key.getAttribute("value"))!);
  await submitWithReauth(page, botForm, "Create bot");
  await expect(botForm.getByRole("status")).toContainText('Bot "e2e sma (paper)" created (paper, stopped)');
});
