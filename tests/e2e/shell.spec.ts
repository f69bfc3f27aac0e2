import { expect, test } from "@playwright/test";

const pages = [
  { nav: "Overview", path: "/", heading: "Overview", empty: "Nothing to watch yet" },
  { nav: "Keys", path: "/keys", heading: "Keys", empty: "No keys yet" },
  { nav: "Bots", path: "/bots", heading: "Bots", empty: "No bots yet" },
  { nav: "Backtests", path: "/backtests", heading: "Backtests", empty: "No backtests yet" },
  { nav: "Audit", path: "/audit", heading: "Audit", empty: "No audit entries yet" },
  { nav: "Settings", path: "/settings", heading: "Settings", empty: "Nothing to configure yet" },
];

test("navigation reaches every section, each with an honest empty state", async ({ page }) => {
  await page.goto("/");
  for (const p of pages) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: p.nav, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${p.path === "/" ? "/$" : p.path}$`));
    await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
    await expect(page.getByText(p.empty)).toBeVisible();
    await expect(page.getByRole("link", { name: p.nav, exact: true })).toHaveAttribute("aria-current", "page");
  }
});

test("dark mode follows the system setting", async ({ browser }) => {
  const colors: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto("/");
    colors.push(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    await context.close();
  }
  expect(colors[0]).not.toBe(colors[1]);
});

test("health is public JSON without secrets and reports a live worker", async ({ request }) => {
  await expect
    .poll(async () => (await (await request.get("/api/health")).json()).status, { timeout: 20_000 })
    .toBe("ok");
  const res = await request.get("/api/health");
  const body = await res.json();
  expect(Object.keys(body).sort()).toEqual(["db", "status", "version", "worker"]);
  expect(body.worker.lastHeartbeatAgeMs).toBeLessThan(10_000);
  expect(JSON.stringify(body)).not.toMatch(/file:|postgres|\/tmp|keyward\.db/);
});

test("security headers are set on pages", async ({ request }) => {
  const res = await request.get("/keys");
  const h = res.headers();
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["content-security-policy"]).not.toContain("unsafe-eval");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("no-referrer");
});
