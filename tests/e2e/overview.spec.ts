/**
 * Issue 10: the overview shows every bot at once (statuses, PnL, balances
 * valued in the quote currency, open orders, recent events, warnings) with a
 * live/paper filter; pages work on a phone and their form fields are labelled.
 */
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { addKey, botControl, createBot, dataDir, demoAdminCall, demoKey } from "./helpers";

test("issue 10: the overview sums a live bot's balances, PnL and events, and filters live from paper", async ({ page }) => {
  await demoKey(page, "overview-key");
  const href = await createBot(page, "overview-dca", "overview-key", "dca", "live", { "Amount of the quote currency spent per buy (e.g. 25 for 25 USDT)": "20", "Minutes between buys": "1" });
  await page.goto(href);
  await botControl(page, "Start");
  await expect(page.getByTestId("trade-row").first()).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("balances")).toContainText("DEMO", { timeout: 15_000 });

  await page.goto("/?mode=live");
  await expect(page.getByRole("navigation", { name: "Which bots" }).getByRole("link", { name: "Live" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("bots-by-status").locator('[data-status="running"]')).toBeVisible();
  await expect(page.getByTestId("pnl-totals")).toContainText("USDT");
  // the demo key's starting balances plus the bought DEMO, valued in USDT
  const balances = page.getByTestId("balances");
  await expect(balances.locator('[data-asset="USDT"]')).toBeVisible();
  await expect(balances.locator('[data-asset="DEMO"]')).not.toContainText("no price");
  await expect(page.getByTestId("balance-total")).toContainText(/≈ [\d.]+ USDT/);
  await expect(page.getByTestId("recent-events")).toContainText("overview-dca");
  await expect(page.getByTestId("recent-events")).toContainText("trade");
  // bookkeeping is on the bot's page, not here: its order's status changes and balance reads
  await expect(page.getByTestId("recent-events")).not.toContainText("order.update");
  await expect(page.getByTestId("recent-events")).not.toContainText("Balances:");

  // the paper filter leaves the live bot out
  await page.getByRole("navigation", { name: "Which bots" }).getByRole("link", { name: "Paper" }).click();
  await expect(page).toHaveURL(/mode=paper/);
  await expect(page.getByText("overview-dca")).toHaveCount(0);

  await page.goto(href);
  await botControl(page, "Stop");
  await expect(page.getByTestId("bot-status").first()).toHaveAttribute("data-status", "stopped", { timeout: 30_000 });
});

test("a running bot whose orders its risk limits refuse is named under Needs your attention, with the reason, until it stops", async ({ page }) => {
  const name = `refused-dca-${Date.now() % 1_000_000}`;
  await demoKey(page, `${name}-key`);
  const href = await createBot(page, name, `${name}-key`, "dca", "paper", { "Amount of the quote currency spent per buy (e.g. 25 for 25 USDT)": "20", "Max position (base, optional)": "1000" });
  // each DCA buy of 20 USDT is about 16 DEMO: over a max position of 1. The form refuses that; a bot saved before it did, or whose price has fallen since, has it
  const db = new Database(path.join(dataDir, "keyward.db"));
  db.prepare("UPDATE Bot SET maxPosition = '1' WHERE name = ?").run(name);
  db.close();
  await page.goto(href);
  await page.getByTestId("bot-controls").getByRole("button", { name: "Start" }).click(); // a paper bot starts without a confirmation
  await expect(page.getByTestId("bot-status").first()).toHaveAttribute("data-status", "running", { timeout: 30_000 });
  await page.goto("/");
  const warning = page.getByTestId("warnings").getByRole("link", { name: new RegExp(`Bot "${name}" had orders refused in the last hour`) });
  await expect(warning).toContainText("more than the limit of 1", { timeout: 30_000 });
  await warning.click();
  await expect(page).toHaveURL(new RegExp(`${href}$`));
  await botControl(page, "Stop");
  await expect(page.getByTestId("bot-status").first()).toHaveAttribute("data-status", "stopped", { timeout: 30_000 });
  await page.goto("/");
  await expect(page.getByText(`Bot "${name}" had orders refused`)).toHaveCount(0);
});

test("a running bot whose ticks fail is named under Needs your attention with the error while it lasts, and no longer once a tick goes through", async ({ page }) => {
  const name = `failing-dca-${Date.now() % 1_000_000}`;
  await demoKey(page, `${name}-key`);
  const href = await createBot(page, name, `${name}-key`, "dca", "paper");
  await page.goto(href);
  await page.getByTestId("bot-controls").getByRole("button", { name: "Start" }).click();
  await expect(page.getByTestId("bot-status").first()).toHaveAttribute("data-status", "running", { timeout: 30_000 });
  await page.goto("/");
  const warning = page.getByTestId("warnings").getByRole("link", { name: new RegExp(`Bot "${name}" cannot trade right now`) });
  await demoAdminCall("POST", "/_demo/faults", { kind: "error5xx", path: "/api/v3/ticker", durationMs: 60_000 }); // the market's prices: a maintenance page
  try {
    await expect(warning).toContainText("503", { timeout: 30_000 });
  } finally {
    await demoAdminCall("DELETE", "/_demo/faults");
  }
  await expect(warning).toHaveCount(0, { timeout: 60_000 }); // the page follows the bot's events: the recovery clears it
  await page.goto(href);
  await botControl(page, "Stop");
  await expect(page.getByTestId("bot-status").first()).toHaveAttribute("data-status", "stopped", { timeout: 30_000 });
});

test("issue 10: on a phone every page fits the screen, and every form field has a label", async ({ browser, page: desktop }, testInfo) => {
  await demoKey(desktop, "phone-key");
  const botPage = await createBot(desktop, "phone-bot", "phone-key", "market-maker", "paper");
  const context = await browser.newContext({ storageState: testInfo.project.use.storageState, viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  for (const path of ["/", "/keys", "/bots", botPage, "/audit", "/settings", "/settings/tokens", "/settings/users"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const { overflow, width } = await page.evaluate(() => ({ overflow: document.documentElement.scrollWidth - window.innerWidth, width: window.innerWidth }));
    expect(width, `${path} was zoomed out to fit`).toBe(390);
    expect(overflow, `${path} scrolls sideways by ${overflow}px`).toBeLessThanOrEqual(0);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>("input, select, textarea")]
        .filter((el) => el.type !== "hidden" && !el.labels?.length && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby"))
        .map((el) => el.name || el.id || el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled, `${path}: fields without a label`).toEqual([]);
  }
  await context.close();
});

test("issue 10: when the exchange does not answer, the chart says so and the rest of the bot page works", async ({ page }) => {
  await demoKey(page, "down-key");
  const href = await createBot(page, "down-bot", "down-key", "market-maker", "paper");
  await demoAdminCall("POST", "/_demo/faults", { kind: "error5xx", path: "/api/v3/klines", durationMs: 10_000 });
  try {
    await page.goto(href);
    await expect(page.getByRole("heading", { level: 1, name: "down-bot" })).toBeVisible();
    await expect(page.getByText("No open orders.")).toBeVisible();
    await expect(page.locator("section", { has: page.getByTestId("price-chart") }).getByRole("alert")).toContainText("Prices could not be loaded from demo");
  } finally {
    await demoAdminCall("DELETE", "/_demo/faults");
  }
  // and it recovers by itself
  await expect(page.getByTestId("price-chart")).not.toHaveAttribute("data-candles", "0", { timeout: 15_000 });
});

test("two live bots with their own keys on one exchange account: the Keys page pairs the keys, each bot's page says whose account its balances are too", async ({ page }) => {
  const { accountId } = await demoAdminCall<{ accountId: number }>("POST", "/_demo/accounts", { balances: { USDT: "5000" } });
  const bots: [string, string][] = [];
  for (const name of ["shared-a", "shared-b"]) {
    const creds = await demoAdminCall<{ apiKey: string; secret: string }>("POST", "/_demo/keys", { accountId, permissions: { read: true, trade: true }, ipRestrict: true, ips: ["127.0.0.1", "::1"] });
    await expect((await addKey(page, `${name}-key`, creds)).getByRole("status")).toContainText(`Key "${name}-key"`);
    bots.push([name, await createBot(page, name, `${name}-key`, "dca", "live", { "Amount of the quote currency spent per buy (e.g. 25 for 25 USDT)": "20", "Minutes between buys": "600" })]);
  }
  await page.goto("/keys");
  await expect(page.locator('[data-testid="key-row"][data-label="shared-a-key"]').getByTestId("same-account")).toHaveText("same exchange account as shared-b-key");
  for (const [, href] of bots) {
    await page.goto(href);
    await botControl(page, "Start");
    await expect(page.getByTestId("trade-row").first()).toBeVisible({ timeout: 30_000 });
  }
  for (const [[, href], other] of [[bots[0]!, "shared-b"], [bots[1]!, "shared-a"]] as const) {
    await page.goto(href);
    await expect(page.getByTestId("shared-account")).toContainText(`the exchange account of bot(s) ${other} too`);
    await botControl(page, "Stop");
    await expect(page.getByTestId("bot-status").first()).toHaveAttribute("data-status", "stopped", { timeout: 30_000 });
  }
  // keys whose account is not known (an exchange that does not report it, or added before it was read) count alone, and the Overview says so
  await expect(page.goto("/").then(() => page.getByTestId("unknown-accounts"))).resolves.toHaveCount(0);
  const db = new Database(path.join(dataDir, "keyward.db"));
  const forget = db.prepare("UPDATE ExchangeKey SET accountUid = ? WHERE label IN ('shared-a-key', 'shared-b-key')");
  forget.run(null);
  // the balances are built at most once a second and shared (a page a moment ago may have had them)
  await expect(async () => {
    await page.goto("/");
    await expect(page.getByTestId("unknown-accounts")).toContainText("The exchange account of 2 keys is not known", { timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  forget.run(String(accountId));
  db.close();
});
