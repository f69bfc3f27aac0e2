import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Secret, TOTP } from "otpauth";
import { expect, type APIRequestContext, type Locator, type Page } from "@playwright/test";

export const dataDir = process.env.E2E_DATA_DIR!;
export const owner = { email: "owner@example.test", password: "owner-password-1234" };

/** The password step of a sign-in; what follows depends on the account (a session, the second factor, or enrolment). */
export async function enterPassword(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
}

/** The owner adds a user in Settings → Users (confirming it is them when asked). */
export async function addUser(page: Page, user: { email: string; password: string }, role: "owner" | "operator" | "viewer"): Promise<void> {
  await page.goto("/settings/users");
  const form = formWith(page, "Add user");
  await form.getByLabel("Email").fill(user.email);
  await form.getByLabel("Role").selectOption(role);
  await form.getByLabel("Initial password").fill(user.password);
  await submitWithReauth(page, form, "Add user");
  await expect(form.getByRole("status")).toContainText(`Created ${user.email} (${role}).`);
}

/**
 * Logs in; when sign-in asks for the second factor, gives a code from the
 * authenticator this test run enrolled for that email (rememberTotp).
 */
export async function login(page: Page, email: string, password: string): Promise<void> {
  await enterPassword(page, email, password);
  await expect(page.getByTestId("whoami").or(page.getByRole("heading", { name: "Second factor" }))).toBeVisible();
  if (await page.getByRole("heading", { name: "Second factor" }).isVisible()) {
    await page.getByLabel("Authenticator code or recovery code").fill(await totpCode(email));
    await page.getByRole("button", { name: "Verify" }).click();
  }
  await expect(page.getByTestId("whoami")).toContainText(email);
}

const totpFile = (email: string) => path.join(dataDir, `totp-${email}.json`);

/** Keeps an enrolled authenticator's secret for later sign-ins and re-authentications of this run. */
export function rememberTotp(email: string, secret: string, usedAtMs = Date.now()): void {
  writeFileSync(totpFile(email), JSON.stringify({ secret, lastStep: Math.floor(usedAtMs / 30_000) }));
}

/**
 * A code the server has not seen yet: each is accepted once, so a second use
 * in the same 30 s takes the next step's code (the server allows one step of
 * drift), and a third waits for the clock.
 */
export async function totpCode(email: string): Promise<string> {
  const { secret, lastStep } = JSON.parse(readFileSync(totpFile(email), "utf8")) as { secret: string; lastStep: number };
  const step = Math.max(Math.floor(Date.now() / 30_000), lastStep + 1);
  const wait = (step - 1) * 30_000 + 1000 - Date.now(); // the step is within the server's window from (step − 1)·30 s on
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  writeFileSync(totpFile(email), JSON.stringify({ secret, lastStep: step }));
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp: step * 30_000 });
}

interface ManifestEntry {
  filename: string;
  exportedName: string;
  workers: Record<string, unknown>;
}

/** Every server action in the build: name → { id, a page path that can run it }. */
export function serverActions(): Record<string, { id: string; path: string; file: string }> {
  const manifest = JSON.parse(readFileSync(path.join(process.cwd(), ".next/server/server-reference-manifest.json"), "utf8")) as { node: Record<string, ManifestEntry> };
  return Object.fromEntries(
    Object.entries(manifest.node).map(([id, e]) => {
      const worker = Object.keys(e.workers)[0]!; // e.g. "app/settings/users/page"
      const route = "/" + worker.replace(/^app\//, "").replace(/\/?page$/, "");
      return [e.exportedName, { id, path: route, file: e.filename }];
    }),
  );
}

/** Calls a server action the way Next's client does (fetch with a Next-Action header), with empty form arguments. */
export async function callAction(request: APIRequestContext, baseURL: string, action: { id: string; path: string }, headers: Record<string, string> = {}) {
  return request.post(action.path, {
    headers: { "next-action": action.id, "content-type": "text/plain;charset=UTF-8", accept: "text/x-component", origin: baseURL, ...headers },
    data: "[{},{}]",
    maxRedirects: 0,
  });
}

/** Every page and route handler in the build. */
export function appRoutes(): string[] {
  const m = JSON.parse(readFileSync(path.join(process.cwd(), ".next/app-path-routes-manifest.json"), "utf8")) as Record<string, string>;
  return Object.values(m).filter((r) => !r.startsWith("/_"));
}

export const demoAdmin = `http://127.0.0.1:${Number(process.env.E2E_PORT ?? 3200) + 1}`;

/** A call to the running demo exchange's admin API (JSON only). */
export async function demoAdminCall<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${demoAdmin}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });
  if (!res.ok) throw new Error(`demo admin ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A key on the running demo exchange (its admin API), as a user would get one from an exchange. */
export async function mintDemoKey(permissions: { read: boolean; trade: boolean; withdraw?: boolean; transfer?: boolean }, ipRestrict = true): Promise<{ apiKey: string; secret: string }> {
  const account = await demoAdminCall<{ accountId: number }>("POST", "/_demo/accounts", { balances: { USDT: "5000" } });
  return demoAdminCall<{ apiKey: string; secret: string }>("POST", "/_demo/keys", { accountId: account.accountId, permissions, ipRestrict, ips: ipRestrict ? ["127.0.0.1", "::1"] : [] });
}

/** Adds a demo exchange key through the Keys page's form; returns the form (its messages). */
export async function addKey(page: Page, label: string, creds: { apiKey: string; secret: string }): Promise<Locator> {
  await page.goto("/keys");
  const form = formWith(page, "Verify and add");
  await form.getByLabel("Exchange").fill("demo");
  await form.getByLabel("Label").fill(label);
  await form.getByLabel("API key").fill(creds.apiKey);
  await form.getByLabel("API secret").fill(creds.secret);
  await submitWithReauth(page, form, "Verify and add");
  return form;
}

/** Clicks `button` in `form`; if the action asks for the password again, confirms it and clicks once more. */
export async function submitWithReauth(page: Page, form: Locator, button: string): Promise<void> {
  await form.getByRole("button", { name: button }).click();
  const confirm = page.getByLabel("Confirm your password");
  // with a fresh session the action itself answers, and some wait for the worker (a vault rotation, up to 60 s)
  await expect(form.getByRole("alert").or(form.getByRole("status")).or(confirm).first()).toBeVisible({ timeout: 65_000 });
  if (await confirm.isVisible()) {
    await confirmReauth(page);
    await form.getByRole("button", { name: button }).click();
  }
}

/** Answers the open re-authentication form as the owner: the password, then (the owner has one) an authenticator code. Returns whether a code was asked. */
export async function confirmReauth(page: Page): Promise<boolean> {
  await page.getByLabel("Confirm your password").fill(owner.password);
  await page.getByRole("button", { name: "Confirm" }).click();
  const code = page.getByLabel("Authenticator code or recovery code");
  await expect(page.getByText("Password confirmed").or(code)).toBeVisible();
  const asked = await code.isVisible();
  if (asked) {
    await code.fill(await totpCode(owner.email));
    await page.getByRole("button", { name: "Confirm" }).click();
  }
  await expect(page.getByText("Password confirmed")).toBeVisible();
  return asked;
}

/** The block around the form whose submit button is `button` (the form plus its messages). */
export function formWith(page: Page, button: string): Locator {
  return page.locator("form").filter({ has: page.getByRole("button", { name: button }) }).locator("..");
}

/** Creates an API token in Settings → API tokens (confirming the password when asked) and returns it. */
export async function createToken(page: Page, name: string, scopes: ("read" | "operate" | "admin")[] = ["read"]): Promise<string> {
  await page.goto("/settings/tokens");
  const form = formWith(page, "Create token");
  await form.getByLabel("Name").fill(name);
  for (const scope of ["read", "operate", "admin"] as const) await form.getByLabel(scope, { exact: true }).setChecked(scopes.includes(scope));
  await submitWithReauth(page, form, "Create token");
  return (await page.getByTestId("revealed").textContent())!.trim();
}

/** Mints a demo key from the Keys page ("Create demo key"). */
export async function demoKey(page: Page, label: string): Promise<void> {
  await page.goto("/keys");
  const form = formWith(page, "Create demo key");
  await form.getByLabel("Label").fill(label);
  await submitWithReauth(page, form, "Create demo key");
  await expect(form.getByRole("status")).toContainText(`Key "${label}"`);
}

/** At a phone's width (390 × 844, left set): the table holding `row` fits without scrolling sideways and, if named, the row's button is on screen. */
export async function expectFitsPhone(page: Page, row: Locator, button?: string): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  expect(await row.locator("xpath=ancestor::table").evaluate((t) => t.scrollWidth <= t.parentElement!.clientWidth)).toBe(true);
  if (!button) return;
  const box = (await row.getByRole("button", { name: button }).boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(390);
}

/** Creates a bot on DEMO/USDT with a 1 s tick from the Bots page; params by their field labels. Returns its page's path. */
export async function createBot(page: Page, name: string, keyLabel: string, strategy: string, mode: "paper" | "live", params: Record<string, string> = {}): Promise<string> {
  await page.goto("/bots");
  const form = formWith(page, "Create bot");
  await form.getByLabel("Name").fill(name);
  const option = form.getByLabel("Key").locator("option", { hasText: `${keyLabel} (` });
  await form.getByLabel("Key").selectOption((await option.getAttribute("value"))!);
  await form.getByLabel("Symbol").fill("DEMO/USDT");
  await form.getByLabel("Strategy").selectOption(strategy);
  for (const [label, value] of Object.entries(params)) await form.getByLabel(label).fill(value);
  await form.getByLabel("Tick (seconds)").fill("1");
  await (mode === "live" ? form.getByLabel("live (real orders)") : form.getByLabel("paper", { exact: true })).check();
  await submitWithReauth(page, form, "Create bot");
  await expect(form.getByRole("status")).toContainText(`Bot "${name}" created (${mode === "live" ? "LIVE" : "paper"}, stopped)`);
  // the form cleared itself: the strategy picker and the parameters under it agree again
  const picked = (await form.getByLabel("Strategy").locator("option:checked").textContent())!;
  await expect(form.locator("fieldset legend").first()).toContainText(picked);
  return (await page.locator(`[data-testid="bot-row"][data-name="${name}"]`).getByRole("link", { name }).getAttribute("href"))!;
}

/** Clicks Start or Stop on a bot's page and accepts its confirmation. */
export async function botControl(page: Page, name: "Start" | "Stop"): Promise<void> {
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("bot-controls").getByRole("button", { name }).click();
}

/** Distinct colours in a screenshot, and how many pixels are near `marker` (r, g, b), counted by drawing the PNG on a canvas. */
export async function screenshotColours(page: Page, png: Buffer, marker: [number, number, number] = [0, 0, 0]): Promise<{ colours: number; markerPixels: number }> {
  return page.evaluate(
    async ([b64, [r, g, b]]) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement("canvas");
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext("2d")!;
      ctx.drawImage(img, 0, 0);
      const px = ctx.getImageData(0, 0, img.width, img.height).data;
      const colours = new Set<number>();
      let markerPixels = 0;
      for (let i = 0; i < px.length; i += 4) {
        colours.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
        if (Math.abs(px[i]! - r) < 12 && Math.abs(px[i + 1]! - g) < 12 && Math.abs(px[i + 2]! - b) < 12) markerPixels++;
      }
      return { colours: colours.size, markerPixels };
    },
    [png.toString("base64"), marker] as const,
  );
}
