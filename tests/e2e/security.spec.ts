import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type BrowserContext } from "@playwright/test";
import { addUser, appRoutes, callAction, createToken, dataDir, enterPassword, expectFitsPhone, login, owner, serverActions } from "./helpers";

// /api/[...path]: any unknown /api path outside /api/v1, a 404 for everyone. /login/verify and /login/enrol: the sign-in's own steps.
const publicPages = new Set(["/login", "/login/verify", "/login/enrol", "/setup", "/api/health", "/api/ping", "/api/[...path]"]);
// passkeyOptionsAction answers "log in again" without a session (and options to a pending sign-in: it is part of that step)
const publicActions = new Set(["loginAction", "setupAction", "passkeyOptionsAction"]);
// the second-factor step's own actions, which a pending sign-in may call
const signInStepActions = new Set([...publicActions, "verifySecondFactorAction", "cancelSignInAction"]);
const spoof = { "x-middleware-subrequest": "middleware:middleware:middleware:middleware:middleware" };
const viewer = { email: "viewer@example.test", password: "viewer-canary-pw-4821" };

async function anonymousPage(browser: Browser) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  return { context, page: await context.newPage() };
}

/** The owner's password entered, the second factor not: the browser holds only the pending sign-in cookie. */
async function halfSignedIn(browser: Browser): Promise<StorageState> {
  const { context, page } = await anonymousPage(browser);
  await enterPassword(page, owner.email, owner.password);
  await expect(page.getByRole("heading", { name: "Second factor" })).toBeVisible();
  const state = await context.storageState();
  expect(state.cookies.map((c) => c.name)).toEqual(["keyward_signin"]);
  await context.close();
  return state;
}

type StorageState = Awaited<ReturnType<BrowserContext["storageState"]>>;
const nobody: StorageState = { cookies: [], origins: [] };

test.describe("SECURITY.md 16 and 27: authorization in every page, route handler and server action — also between password and second factor", () => {
  const cases = [
    { who: "without a session", halfSigned: false, headers: {}, skipActions: publicActions },
    { who: "without a session (with x-middleware-subrequest)", halfSigned: false, headers: spoof, skipActions: publicActions },
    { who: "after the password and before the second factor", halfSigned: true, headers: {}, skipActions: signInStepActions },
  ] as const;
  for (const c of cases) {
    test(`${c.who} every page redirects to /login and every API route answers 401`, async ({ playwright, browser, baseURL }) => {
      const anon = await playwright.request.newContext({ baseURL, storageState: c.halfSigned ? await halfSignedIn(browser) : nobody, extraHTTPHeaders: c.headers });
      const routes = appRoutes().filter((r) => !publicPages.has(r));
      expect(routes.length).toBeGreaterThan(10);
      for (const route of routes.map((r) => r.replace("[...path]", "anything/here").replace("[id]", "some-id"))) {
        if (route.startsWith("/api/") || route === "/metrics") {
          // every method the route has answers 401; methods it lacks answer 405 without running anything
          const statuses = await Promise.all(["GET", "POST", "PUT", "DELETE"].map(async (method) => (await anon.fetch(route, { method, maxRedirects: 0 })).status()));
          expect(statuses.every((st) => st === 401 || st === 405), `${route}: ${statuses}`).toBe(true);
          expect(statuses, route).toContain(401);
          continue;
        }
        const res = await anon.get(route, { maxRedirects: 0 });
        {
          expect([303, 307, 308], route).toContain(res.status());
          expect(res.headers()["location"], route).toMatch(/\/login$/);
        }
      }
    });

    test(`${c.who} every server action redirects to /login and changes nothing`, async ({ playwright, browser, baseURL }) => {
      const anon = await playwright.request.newContext({ baseURL, storageState: c.halfSigned ? await halfSignedIn(browser) : nobody });
      const actions = Object.entries(serverActions()).filter(([name]) => !c.skipActions.has(name));
      expect(actions.length).toBeGreaterThan(5);
      for (const [name, action] of actions) {
        const res = await callAction(anon, baseURL!, action, c.headers);
        expect(res.headers()["x-action-redirect"] ?? "", name).toMatch(/^\/login/);
      }
    });
  }
});

test("a form submitted before its JavaScript runs sends nothing: no password in a URL", async ({ browser }) => {
  // the forms are handled by React (onSubmit): a browser without it would send one itself, as a GET carrying the fields in the URL
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, javaScriptEnabled: false });
  const page = await context.newPage();
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  await page.goto("/login");
  const form = page.locator("form").filter({ has: page.getByRole("button", { name: "Log in" }) });
  await expect(form).toHaveAttribute("method", "post");
  await expect(page.getByRole("button", { name: "Log in" })).toBeDisabled();
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password", { exact: true }).fill(owner.password);
  await page.getByLabel("Password", { exact: true }).press("Enter");
  await page.waitForTimeout(1000);
  expect(page.url()).toMatch(/\/login$/);
  expect(requests.filter((u) => u.includes("password"))).toEqual([]);
  await context.close();
});

test("SECURITY.md 17: a server action posted with Origin https://evil.example is rejected", async ({ request, baseURL }) => {
  const { createTokenAction } = serverActions();
  const before = await (await request.get("/settings/tokens")).text();
  const res = await callAction(request, baseURL!, createTokenAction!, { origin: "https://evil.example" });
  expect(res.ok()).toBe(false);
  const after = await (await request.get("/settings/tokens")).text();
  expect((after.match(/data-testid="token-row"/g) ?? []).length).toBe((before.match(/data-testid="token-row"/g) ?? []).length);
});

test("SECURITY.md 19: an unexpected error reaches the user as a generic message with an id; the details are in the server log", async ({ request, baseURL }) => {
  // A malformed call (no form data) makes the action fail unexpectedly.
  const res = await callAction(request, baseURL!, serverActions().createTokenAction!);
  const body = await res.text();
  const id = /Something went wrong \(error id ([0-9a-f]{8})\)/.exec(body)?.[1];
  expect(id, body.slice(0, 500)).toBeDefined();
  expect(body).not.toMatch(/TypeError|is not a function|at .*\.ts:\d+/);
  await expect.poll(() => readFileSync(path.join(dataDir, "server.log"), "utf8")).toContain(`"errorId":"${id}"`);
});

test("SECURITY.md 15: a viewer sees no mutating owner action and the server refuses them", async ({ page, browser, baseURL }) => {
  await addUser(page, viewer, "viewer");

  const { context, page: vpage } = await anonymousPage(browser);
  await login(vpage, viewer.email, viewer.password);
  await vpage.goto("/settings");
  await expect(vpage.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Users" })).toHaveCount(0);
  await vpage.goto("/settings/users");
  await expect(vpage).toHaveURL(/\/\?denied=1$/);
  await expect(vpage.getByText("Add user")).toHaveCount(0);

  const actions = serverActions();
  for (const name of ["createUserAction", "changeRoleAction", "setDisabledAction"]) {
    const res = await callAction(context.request, baseURL!, actions[name]!);
    expect(await res.text(), name).toContain("Your role does not allow this.");
  }
  // and a viewer cannot mint a token above its role
  await vpage.goto("/settings/tokens");
  await vpage.getByLabel("Name").fill("too much");
  await vpage.getByLabel("admin").check();
  await vpage.getByRole("button", { name: "Create token" }).click();
  await expect(vpage.getByRole("main").getByRole("alert")).toContainText("A viewer cannot hold the admin scope.");
  await context.close();
});

test("API tokens: shown once, bearer only, scoped, revocable; /api/v1/me", async ({ page, playwright, baseURL }) => {
  const token = await createToken(page, "monitoring");
  expect(token).toMatch(/^kwt_/);
  await page.reload();
  expect(await page.content()).not.toContain(token);

  const api = await playwright.request.newContext({ baseURL, storageState: { cookies: [], origins: [] } });
  const me = await api.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } });
  expect(me.status()).toBe(200);
  expect(await me.json()).toEqual({ user: expect.objectContaining({ email: owner.email, role: "owner" }), scopes: ["read"] });
  expect((await api.get("/api/v1/me")).status()).toBe(401);
  // the browser session cookie is not accepted by the API
  expect((await page.request.get("/api/v1/me")).status()).toBe(401);
  expect((await api.get("/api/v1/other", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(404);

  // revoked from a phone (a leaked token may not wait): the list fits its width, the button on screen
  const row = page.getByTestId("token-row").filter({ hasText: "monitoring" });
  await expectFitsPhone(page, row, "Revoke");
  page.once("dialog", (d) => d.accept());
  await row.getByRole("button", { name: "Revoke" }).click();
  // the list follows without a reload: the row says so in place of its button
  await expect(row.getByRole("button", { name: "Revoke" })).toHaveCount(0);
  await expect(row).toContainText("revoked");
  expect((await api.get("/api/v1/me", { headers: { authorization: `Bearer ${token}` } })).status()).toBe(401);
});

test("SECURITY.md 26: logins and user changes are in the audit log", async ({ page }) => {
  await page.goto("/audit?action=user.create");
  await expect(page.getByTestId("audit-row").filter({ hasText: "user.create" }).first()).toBeVisible();
  await page.goto("/audit?action=login.fail");
  await expect(page.getByTestId("audit-row").first()).toContainText("login.fail");
});

test("SECURITY.md 8, 18, 25: no secret in any log line or build output; no vault-opening code in the web build", async () => {
  const log = readFileSync(path.join(dataDir, "server.log"), "utf8");
  expect(log.length).toBeGreaterThan(100);
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const f of readdirSync(dir)) {
      const p = path.join(dir, f);
      if (statSync(p).isDirectory()) walk(p);
      else if (statSync(p).size < 5_000_000) files.push(p);
    }
  };
  walk(path.join(process.cwd(), ".next"));
  // SECURITY.md 8: the web build contains no code that reads the vault key file or opens sealed values.
  const serverCode = files.filter((f) => f.includes(`${path.sep}server${path.sep}`) && f.endsWith(".js"));
  expect(serverCode.length).toBeGreaterThan(10);
  for (const f of serverCode) expect(readFileSync(f, "utf8"), f).not.toMatch(/keyward-vault-key|VaultKeyMissingError/);
  for (const canary of [owner.password, viewer.password]) {
    expect(log).not.toContain(canary);
    for (const f of files) expect(readFileSync(f, "utf8").includes(canary), f).toBe(false);
  }
});
