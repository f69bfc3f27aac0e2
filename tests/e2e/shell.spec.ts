import { expect, test } from "@playwright/test";

const pages = [
  { nav: "Overview", path: "/", heading: "Overview", text: "Workers" },
  { nav: "Keys", path: "/keys", heading: "Keys", text: "Add a key" },
  { nav: "Bots", path: "/bots", heading: "Bots", text: "Create a bot" },
  { nav: "Backtests", path: "/backtests", heading: "Backtests", text: "Run a backtest" },
  { nav: "Audit", path: "/audit", heading: "Audit", text: "entries)" },
  { nav: "Settings", path: "/settings", heading: "Settings", text: "Change password" },
];

test("navigation reaches every section, each with its content or an honest empty state", async ({ page }) => {
  await page.goto("/");
  for (const p of pages) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: p.nav, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`${p.path === "/" ? "/$" : p.path}$`));
    await expect(page.getByRole("heading", { level: 1, name: p.heading })).toBeVisible();
    await expect(page.getByText(p.text).first()).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: p.nav, exact: true })).toHaveAttribute("aria-current", "page");
  }
});

test("dark mode follows the system setting", async ({ browser }) => {
  const colors: string[] = [];
  for (const colorScheme of ["light", "dark"] as const) {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto("/login");
    colors.push(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    await context.close();
  }
  expect(colors[0]).not.toBe(colors[1]);
});

test("health is public JSON without secrets and reports a live worker", async ({ playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  await expect.poll(async () => (await (await anonymous.get("/api/health")).json()).status, { timeout: 20_000 }).toBe("ok");
  const body = await (await anonymous.get("/api/health")).json();
  expect(Object.keys(body).sort()).toEqual(["db", "status", "version", "worker"]);
  expect(body.worker.lastHeartbeatAgeMs).toBeLessThan(10_000);
  expect(JSON.stringify(body)).not.toMatch(/file:|postgres|\/tmp|keyward\.db/);
});

test("SECURITY.md 20: security headers on pages", async ({ request }) => {
  const h = (await request.get("/login")).headers();
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["content-security-policy"]).not.toContain("unsafe-eval");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("no-referrer");
});

test("issue 10: the app icon and web manifest are served from public/ and linked from every page", async ({ page, request }) => {
  await page.goto("/login");
  await expect(page.locator('head link[rel="manifest"]')).toHaveAttribute("href", "/manifest.webmanifest");
  await expect(page.locator('head link[rel="icon"]')).toHaveAttribute("href", /\/icon\.svg/);
  const manifest = await request.get("/manifest.webmanifest");
  expect(manifest.status()).toBe(200);
  const body = (await manifest.json()) as { name: string; start_url: string; icons: { src: string }[] };
  expect(body).toMatchObject({ name: "Keyward", start_url: "/" });
  const icon = await request.get(body.icons[0]!.src);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toMatch(/^image\/svg\+xml/);
});
