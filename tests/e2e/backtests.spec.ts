/**
 * Issue 11 in the browser: run a backtest on the demo exchange's history,
 * watch its progress, read the report with its charts, and create a paper
 * bot from it.
 */
import { readFileSync } from "node:fs";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { botControl, createBot, demoKey, expectFitsPhone, formWith, screenshotColours, submitWithReauth } from "./helpers";

/** The Backtests page's form, named and on sma-cross. */
async function backtestForm(page: Page, name: string): Promise<Locator> {
  await page.goto("/backtests");
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Run backtest" }) });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Strategy").selectOption("sma-cross");
  return form;
}

test("issue 11: a backtest from the UI — progress, report, non-blank charts — and a paper bot from it", async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await demoKey(page, "backtest-key"); // for the bot made from the report
  const form = await backtestForm(page, "e2e sma");
  await form.getByLabel("Symbol").fill("DEMO/USDT");
  await form.getByLabel("Timeframe").selectOption("1h");
  await form.getByLabel("Candles in the fast average").fill("3");
  await form.getByLabel("Candles in the slow average").fill("12");
  await form.getByLabel("Days of history").fill("25");
  // the bot's risk limits, given to the backtest, and its account
  await form.getByLabel("Starting balance (quote)").fill("2000");
  await form.getByLabel("Max order notional (quote)").fill("500");
  await form.getByRole("button", { name: "Run backtest" }).click();

  await page.waitForURL(/\/backtests\/[^/]+$/);
  await expect(page.getByTestId("backtest-limits")).toHaveText("max order notional 500 USDT; the others not binding");
  // 600 candles from the demo exchange: downloading them takes a few seconds, shown as progress
  await expect(page.getByRole("progressbar", { name: "Backtest progress" })).toBeVisible();
  const summary = page.getByTestId("summary");
  await expect(summary).toBeVisible({ timeout: 90_000 });
  await expect(summary).toContainText("Final equity");
  await expect(summary).toContainText("USDT");
  // the period the candles cover, and no hole claimed where the demo has every candle
  await expect(page.getByTestId("backtest-candles")).toHaveText(/^\d{3} candles from \d{4}-\d\d-\d\d \d\d:\d\d UTC to \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/);
  await expect(page.getByTestId("fill-row").first()).toBeVisible();
  // the demo's market is waves: the report says it is no test of a strategy
  await expect(page.getByTestId("demo-market-note")).toContainText("synthetic");
  // the report says which parameters made it, under the form's labels
  await expect(page.getByTestId("backtest-params")).toContainText("Candles in the fast average: 3");
  await expect(page.getByTestId("backtest-params")).toContainText("Candles in the slow average: 12");

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

  // on a phone the fills and round trips fit its width: "buy 1234.5 at 1.2345" over the rest
  const desktop = page.viewportSize()!;
  await expectFitsPhone(page, page.getByTestId("fill-row").first());
  await expect(page.getByTestId("fill-row").first()).toContainText(/buy [\d.]+ at [\d.]+\s*market · fee /);
  await expectFitsPhone(page, page.getByTestId("round-trip-row").first());
  await page.setViewportSize(desktop);

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
  // the backtest's account and the limit it was given; the limits it was not given keep the form's defaults, and the page says so
  await expect(botForm.getByLabel("Paper balance (quote)")).toHaveValue("2000");
  await expect(botForm.getByLabel("Max order notional (quote)")).toHaveValue("500");
  await expect(botForm.getByLabel("Max daily loss (quote)")).toHaveValue("50");
  await expect(page.getByTestId("prefilled")).toContainText("without the other limits binding");
  const key = botForm.getByLabel("Key").locator("option", { hasText: "backtest-key (" });
  await botForm.getByLabel("Key").selectOption((await key.getAttribute("value"))!);
  await submitWithReauth(page, botForm, "Create bot");
  await expect(botForm.getByRole("status")).toContainText('Bot "e2e sma (paper)" created (paper, stopped)');
  // its page lists the parameters under the form's labels
  await page.locator('[data-testid="bot-row"][data-name="e2e sma (paper)"]').getByRole("link", { name: "e2e sma (paper)" }).click();
  await expect(page.getByTestId("bot-params")).toContainText("Candles in the fast average: 3");
  await expect(page.getByTestId("bot-params")).toContainText("Candles in the slow average: 12");
});

test("issue 11: a demo bot that ran replays, and the page names where live and the backtest differ", async ({ page }) => {
  test.setTimeout(240_000);
  await demoKey(page, "replay-key");
  const href = await createBot(page, "replay-dca", "replay-key", "dca", "live", { "Amount of the quote currency spent per buy (e.g. 25 for 25 USDT)": "20", "Minutes between buys": "1" });
  await page.goto(href);
  await botControl(page, "Start");
  await expect(page.getByTestId("trade-row").first()).toBeVisible({ timeout: 30_000 });
  // the fee comes out of the DEMO bought (0.1 % of a whole-DEMO amount): the position is shown exactly, not rounded to the amount step
  await expect(page.getByTestId("pnl").locator("div", { hasText: "position" }).locator("dd")).toHaveText(/^\d+\.\d+ DEMO$/, { timeout: 15_000 });

  await expect(page.getByRole("link", { name: /Replay: compare these fills/ })).toHaveAttribute("href", `${href}/replay`);
  await page.goto(`${href}/replay`);
  // the replay covers closed 1-minute candles: until one closes, the page says so; a live fill after the last
  // replayed candle's open is not compared until the next closes (a simulated one would fill there), so the
  // first difference may take two candles
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("difference").first()).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 150_000, intervals: [5000] });
  await expect(page.getByTestId("replay-totals")).toContainText("Live fills compared");
  // a live fill at a tick's price never equals a simulated one at a candle's open: the page names it
  await expect(page.getByTestId("difference").first()).toContainText(/did not make|worse price|better price|did not act on/);
  // on a phone each difference is one cell: "buy: a worse price than assumed" over the prices, the cost and the time
  const desktop = page.viewportSize()!;
  await expectFitsPhone(page, page.getByTestId("difference").first());
  await expect(page.getByTestId("difference").first()).toContainText(/(buy|sell): .*live .* · simulated .* · cost /);
  await page.setViewportSize(desktop);

  await page.goto(href);
  await botControl(page, "Stop");
  await expect(page.getByTestId("bot-status").first()).toHaveAttribute("data-status", "stopped", { timeout: 30_000 });
});

test("issue 11: a parameter sweep runs every combination, sorts by any column, and any run runs alone or becomes a paper bot", async ({ page }) => {
  test.setTimeout(120_000);
  const form = await backtestForm(page, "e2e sweep");
  await form.getByLabel("Days of history").fill("25");
  // the names a sweep takes are under the fields; a name the strategy does not have would sweep nothing and is refused
  await expect(form.getByTestId("param-name")).toHaveText(["name: fast", "name: slow", "name: quoteFraction"]);
  await form.getByLabel("Parameter sweep (optional)").fill("fast=2,3; slowe=8,12");
  await form.getByRole("button", { name: "Run backtest" }).click();
  await expect(form.getByText('"slowe" is not a parameter of SMA cross here; sweep any of: fast, slow, quoteFraction.').first()).toBeVisible();
  await expect(page).toHaveURL(/\/backtests$/);
  await form.getByLabel("Parameter sweep (optional)").fill("fast=2,3; slow=8,12");
  await form.getByRole("button", { name: "Run backtest" }).click();
  await page.waitForURL(/\/backtests\/[^/]+$/);
  // what every run shares; the swept values are in the table
  await expect(page.getByTestId("backtest-params")).toContainText("Candle length: 1h");
  await expect(page.getByTestId("backtest-params")).not.toContainText("fast average");
  const rows = page.getByTestId("sweep-row");
  await expect(rows).toHaveCount(4, { timeout: 90_000 });
  const returns = async () => (await rows.locator("td:nth-child(3)").allTextContents()).map(Number);
  const down = await returns();
  expect(down).toEqual([...down].sort((a, b) => b - a)); // best return first
  await page.getByRole("button", { name: /^Return %/ }).click();
  const up = await returns();
  expect(up).toEqual([...down].reverse());
  await page.getByRole("button", { name: /^fast/ }).click();
  expect((await rows.locator("td:nth-child(1)").allTextContents()).map(Number)).toEqual([3, 3, 2, 2]);
  await expect(page.getByText(/4 runs; the best return: fast=\d+ slow=\d+ \(-?[\d.]+ %\)/)).toBeVisible();

  // any run of the sweep becomes a paper bot with its own parameters
  const slow = await rows.first().locator("td:nth-child(2)").textContent();
  await rows.first().getByRole("link", { name: "Create a bot (paper)" }).click();
  await expect(page).toHaveURL(/\/bots\?fromBacktest=.+&run=\d+/);
  const botForm = formWith(page, "Create bot");
  await expect(botForm.getByLabel("Name")).toHaveValue(`e2e sweep fast=3 slow=${slow} (paper)`);
  await expect(botForm.getByLabel("Candles in the fast average")).toHaveValue("3");
  await expect(botForm.getByLabel("Candles in the slow average")).toHaveValue(slow!);
  await expect(botForm.getByLabel("paper", { exact: true })).toBeChecked();

  // any run on its own: the same statistics, now with its full report and charts
  await page.goBack();
  const sweepUrl = page.url();
  const best = rows.first(); // sorted by return again
  const [fast1, slow1, return1] = await Promise.all([1, 2, 3].map((n) => best.locator(`td:nth-child(${n})`).textContent()));
  await best.getByRole("button", { name: "Run alone" }).click();
  await expect(page).not.toHaveURL(sweepUrl);
  await expect(page.getByRole("heading", { name: `e2e sweep fast=${fast1} slow=${slow1}` })).toBeVisible();
  const summary = page.getByTestId("summary");
  await expect(summary).toBeVisible({ timeout: 60_000 });
  const shown = /Return\s*(-?[\d.]+) %/.exec((await summary.textContent())!)![1]!;
  expect(Number(shown).toFixed(2)).toBe(return1);
  await expect(page.getByTestId("equity-chart")).toBeVisible();
  // the list tells the sweep from a single run
  await page.goto("/backtests");
  await expect(page.locator("tr", { hasText: "sweep of 4" })).toContainText("e2e sweep");
  await expect(page.locator("tr", { hasText: `e2e sweep fast=${fast1}` })).not.toContainText("sweep of");
});

test("issue 11: a backtest on a CSV file — a bad line refused on the form, a good file run, its whole report downloaded, then deleted", async ({ page }) => {
  test.setTimeout(60_000);
  // hourly candles down 60, up 80, down 60: SMA 3/12 crosses up once and down once — one round trip
  const closes = [...Array.from({ length: 60 }, (_, i) => 200 - i), ...Array.from({ length: 80 }, (_, i) => 141 + i), ...Array.from({ length: 60 }, (_, i) => 220 - i)];
  const lines = closes.map((c, i) => `${1_733_011_200_000 + i * 3_600_000},${c},${c + 1},${c - 1},${c},5`);
  const form = await backtestForm(page, "e2e csv");
  await form.getByLabel("Candles in the fast average").fill("3");
  await form.getByLabel("Candles in the slow average").fill("12");
  await form.getByLabel("From").selectOption("csv");
  await expect(form.getByLabel("Days of history")).toHaveCount(0); // only the chosen source's fields

  await form.getByLabel("CSV file").setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(["timestamp,open,high,low,close,volume", lines[0], "1733014800000,1,2,0.5,1.5"].join("\n")) });
  await form.getByRole("button", { name: "Run backtest" }).click();
  await expect(form.getByText("Line 3: expected 6 columns (timestamp,open,high,low,close,volume), found 5.").first()).toBeVisible();
  await expect(page).toHaveURL(/\/backtests$/);

  await form.getByLabel("CSV file").setInputFiles({ name: "candles.csv", mimeType: "text/csv", buffer: Buffer.from(lines.join("\n")) });
  await expect(form.getByLabel(/^CSV candles:/)).toHaveValue(lines.join("\n"));
  await form.getByRole("button", { name: "Run backtest" }).click();
  await page.waitForURL(/\/backtests\/[^/]+$/);
  await expect(page.getByText(/SMA cross on DEMO\/USDT 1h, CSV candles/)).toBeVisible();
  const summary = page.getByTestId("summary");
  await expect(summary).toBeVisible({ timeout: 30_000 });
  await expect(summary).toContainText("2 / 1"); // fills / round trips
  await expect(page.getByTestId("fill-row")).toHaveCount(2);
  await expect(page.getByTestId("demo-market-note")).toHaveCount(0); // your own candles: no word about the demo's market

  // the whole report downloads as JSON: the CLI's report
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download the whole report (JSON)" }).click()]);
  expect(download.suggestedFilename()).toBe("backtest-e2e-csv.json");
  const report = JSON.parse(readFileSync((await download.path())!, "utf8")) as { config: { candles: number }; summary: { fills: number; roundTrips: number }; fills: unknown[] };
  expect(report.config.candles).toBe(200);
  expect(report.summary).toMatchObject({ fills: 2, roundTrips: 1 });
  expect(report.fills).toHaveLength(2);

  // a finished backtest can be deleted, after a confirmation
  page.once("dialog", (d) => d.accept());
  await page.getByRole("button", { name: "Delete backtest" }).click();
  await expect(page).toHaveURL(/\/backtests$/);
  await expect(page.getByRole("link", { name: "e2e csv", exact: true })).toHaveCount(0);
});

test("a backtest whose orders a risk limit refuses says so above the charts, with the first reason", async ({ page }) => {
  const form = await backtestForm(page, "e2e refused");
  await form.getByLabel("Symbol").fill("DEMO/USDT");
  await form.getByLabel("Timeframe").selectOption("1h");
  await form.getByLabel("Candles in the fast average").fill("3");
  await form.getByLabel("Candles in the slow average").fill("12");
  await form.getByLabel("Days of history").fill("25"); // the first test's candles, cached
  await form.getByLabel("Max position (base)").fill("1"); // each buy is hundreds of DEMO
  await form.getByRole("button", { name: "Run backtest" }).click();
  await page.waitForURL(/\/backtests\/[^/]+$/);
  await expect(page.getByTestId("refusal-note")).toContainText(/^\d+ order\(s\) the strategy asked for were refused — the first: risk: the position could reach [\d.]+, more than the limit of 1\./, { timeout: 60_000 });
  await expect(page.getByTestId("summary")).toContainText("0 / 0"); // fills / round trips
});

test("issue 11: the candles downloaded for backtests are listed, and deleted after a confirmation", async ({ page }) => {
  await page.goto("/backtests");
  await page.getByRole("link", { name: "Cached candles" }).click();
  await expect(page).toHaveURL(/\/backtests\/candles$/);
  // the first test's backtest downloaded the demo's hourly DEMO/USDT candles
  const row = page.getByTestId("cached-candles").filter({ has: page.getByRole("cell", { name: "1h", exact: true }) }).filter({ hasText: "DEMO/USDT" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(/demo\s*DEMO\/USDT\s*1h\s*\d{3}\s*\d{4}-\d\d-\d\d \d\d:\d\d UTC/);

  page.once("dialog", (d) => d.dismiss());
  await row.getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(1);

  page.once("dialog", (d) => {
    expect(d.message()).toBe("Delete the 1h candles of DEMO/USDT cached from demo? The next backtest on them downloads them again.");
    void d.accept();
  });
  await row.getByRole("button", { name: "Delete" }).click();
  await expect(row).toHaveCount(0); // its row goes, with the form that deleted it
  await page.reload();
  await expect(row).toHaveCount(0);

  // the rest (the replay's minute candles), then the page says there is nothing
  page.on("dialog", (d) => void d.accept());
  const rows = page.getByTestId("cached-candles");
  for (let left = await rows.count(); left > 0; left--) {
    await rows.first().getByRole("button", { name: "Delete" }).click();
    await expect(rows).toHaveCount(left - 1);
  }
  await expect(page.getByRole("heading", { name: "No cached candles" })).toBeVisible();
});
