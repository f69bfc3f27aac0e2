/**
 * Issue 16 in Chromium: an authenticator app (the test reads the secret off
 * the page and computes codes itself), recovery codes, and passkeys through
 * Chromium's virtual authenticator (DevTools protocol, WebAuthn domain).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Secret, TOTP } from "otpauth";
import { expect, test, type Browser } from "@playwright/test";
import { addUser, dataDir, enterPassword, expectFitsPhone } from "./helpers";

const port = Number(process.env.E2E_PORT ?? 3200);
const codeAt = (secret: string, ms: number) => new TOTP({ secret: Secret.fromBase32(secret), algorithm: "SHA1", digits: 6, period: 30 }).generate({ timestamp: ms });

async function freshContext(browser: Browser, baseURL?: string) {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, ...(baseURL ? { baseURL } : {}) });
  return { context, page: await context.newPage() };
}

test("issue 16: authenticator app — enrol, then a wrong code is refused, the right one signs in, the same code twice is refused; a recovery code works once", async ({ page, browser }) => {
  const user = { email: "twofa-operator@example.test", password: "twofa-operator-pw-5521" };
  await addUser(page, user, "operator");

  const { context, page: p } = await freshContext(browser);
  await enterPassword(p, user.email, user.password); // the policy (owners) does not cover an operator: a session at once
  await expect(p.getByTestId("whoami")).toContainText(user.email);
  await p.goto("/settings/security");
  await expect(p.getByTestId("two-factor-status")).toContainText("off for your account");
  await p.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = (await p.getByTestId("totp-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  const enrolledAt = Date.now();
  await p.getByLabel("Code from the app").fill(codeAt(secret, enrolledAt));
  await p.getByRole("button", { name: "Turn on" }).click();
  await expect(p.getByTestId("recovery-code")).toHaveCount(10);
  const recovery = (await p.getByTestId("recovery-code").allTextContents()).map((c) => c.trim());
  await p.getByRole("button", { name: "I saved them" }).click();
  await expect(p.getByTestId("two-factor-status")).toContainText("on for your account");

  // SECURITY.md 28: after enrolment the secret is in no response, no log line, and not in plain text in the database file
  const bodies: string[] = [];
  p.on("response", (r) => void r.text().then((t) => bodies.push(t), () => undefined));
  for (const route of ["/settings/security", "/settings", "/", "/audit", "/settings/sessions"]) {
    await p.goto(route);
    bodies.push(await p.content());
  }
  expect(bodies.length).toBeGreaterThan(5);
  for (const body of bodies) expect(body).not.toContain(secret);
  expect(readFileSync(path.join(dataDir, "server.log"), "utf8")).not.toContain(secret);
  const raw = Buffer.from(Secret.fromBase32(secret).bytes);
  for (const file of ["keyward.db", "keyward.db-wal"]) {
    const bytes = (() => {
      try {
        return readFileSync(path.join(dataDir, file));
      } catch {
        return Buffer.alloc(0);
      }
    })();
    expect(bytes.includes(Buffer.from(secret)), file).toBe(false);
    expect(bytes.includes(raw), file).toBe(false);
  }
  await p.getByRole("button", { name: "Log out" }).click();

  // sign in: the password alone opens nothing
  await enterPassword(p, user.email, user.password);
  await expect(p.getByRole("heading", { name: "Second factor" })).toBeVisible();
  await p.goto("/");
  await expect(p).toHaveURL(/\/login$/);
  await p.goto("/login/verify");
  const next = codeAt(secret, enrolledAt + 30_000); // the enrolment took this step's code; the next step's is within the window
  const wrong = next === "000000" ? "111111" : "000000";
  await p.getByLabel("Authenticator code or recovery code").fill(wrong);
  await p.getByRole("button", { name: "Verify" }).click();
  await expect(p.getByRole("main").getByRole("alert")).toContainText("not accepted");
  await expect(p.getByTestId("whoami")).toHaveCount(0);
  await p.getByLabel("Authenticator code or recovery code").fill(next);
  await p.getByRole("button", { name: "Verify" }).click();
  await expect(p.getByTestId("whoami")).toContainText(user.email);
  await p.getByRole("button", { name: "Log out" }).click();

  // the same code a second time is refused
  await enterPassword(p, user.email, user.password);
  await p.getByLabel("Authenticator code or recovery code").fill(next);
  await p.getByRole("button", { name: "Verify" }).click();
  await expect(p.getByRole("main").getByRole("alert")).toContainText("not accepted");
  await expect(p.getByTestId("whoami")).toHaveCount(0);

  // a recovery code works once…
  await p.getByLabel("Authenticator code or recovery code").fill(recovery[4]!);
  await p.getByRole("button", { name: "Verify" }).click();
  await expect(p.getByTestId("whoami")).toContainText(user.email);
  await p.goto("/settings/security");
  await expect(p.getByTestId("recovery-left")).toContainText("9 of 10 left");
  await p.getByRole("button", { name: "Log out" }).click();
  // …and not twice
  await enterPassword(p, user.email, user.password);
  await p.getByLabel("Authenticator code or recovery code").fill(recovery[4]!);
  await p.getByRole("button", { name: "Verify" }).click();
  await expect(p.getByRole("main").getByRole("alert")).toContainText("not accepted");
  await expect(p.getByTestId("whoami")).toHaveCount(0);
  await context.close();

  // the owner sees the audit trail: the factor added, the recovery code used with the number left
  await page.goto("/audit?action=second_factor.recovery_code_used");
  await expect(page.getByTestId("audit-row").first()).toContainText("left");
});

test("issue 16: passkeys — register in Chromium's virtual authenticator, sign in with password and passkey; a removed passkey no longer works", async ({ page, browser }) => {
  const user = { email: "passkey-viewer@example.test", password: "passkey-viewer-pw-8830" };
  await addUser(page, user, "viewer");

  // Passkeys are bound to KEYWARD_PUBLIC_URL (default http://localhost:<port>): the browser uses that address.
  const { context, page: p } = await freshContext(browser, `http://localhost:${port}`);
  const cdp = await context.newCDPSession(p);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  await enterPassword(p, user.email, user.password);
  await expect(p.getByTestId("whoami")).toContainText(user.email);
  await p.goto("/settings/security");

  // "laptop", then (the authenticator emptied, as if another device) "phone"
  await p.getByLabel("Passkey name").fill("laptop");
  await p.getByRole("button", { name: "Add a passkey" }).click();
  await expect(p.getByTestId("recovery-code")).toHaveCount(10);
  await p.getByRole("button", { name: "I saved them" }).click();
  await expect(p.getByTestId("passkey-row")).toHaveCount(1);
  const [laptop] = (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
  expect(laptop).toBeDefined();
  await cdp.send("WebAuthn.clearCredentials", { authenticatorId });
  await p.getByLabel("Passkey name").fill("phone");
  await p.getByRole("button", { name: "Add a passkey" }).click();
  await expect(p.getByTestId("passkey-row")).toHaveCount(2);
  await p.getByRole("button", { name: "Log out" }).click();

  // sign in with password and passkey
  await enterPassword(p, user.email, user.password);
  await expect(p.getByRole("heading", { name: "Second factor" })).toBeVisible();
  await p.getByRole("button", { name: "Use a passkey" }).click();
  await expect(p.getByTestId("whoami")).toContainText(user.email);
  await p.goto("/settings/security");
  await expect(p.getByTestId("passkey-row").filter({ hasText: "phone" })).not.toContainText("never");

  // remove "laptop", from a phone: the list fits its width, the button on screen
  await expectFitsPhone(p, p.getByTestId("passkey-row").filter({ hasText: "laptop" }), "Remove");
  p.once("dialog", (d) => d.accept());
  await p.getByTestId("passkey-row").filter({ hasText: "laptop" }).getByRole("button", { name: "Remove" }).click();
  await expect(p.getByTestId("passkey-row")).toHaveCount(1);
  await expect(p.getByTestId("passkey-row")).toContainText("phone");
  await p.getByRole("button", { name: "Log out" }).click();

  // someone still holding the removed passkey: the authenticator signs with it, the server refuses it
  await cdp.send("WebAuthn.clearCredentials", { authenticatorId });
  await cdp.send("WebAuthn.addCredential", { authenticatorId, credential: laptop! });
  await enterPassword(p, user.email, user.password);
  await expect(p.getByRole("heading", { name: "Second factor" })).toBeVisible();
  await p.evaluate((id) => {
    const raw = Uint8Array.from(atob(id), (c) => c.charCodeAt(0));
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (options?: CredentialRequestOptions) => get({ ...options, publicKey: { ...options!.publicKey!, allowCredentials: [{ type: "public-key", id: raw }] } });
  }, laptop!.credentialId);
  await p.getByRole("button", { name: "Use a passkey" }).click();
  await expect(p.getByRole("main").getByRole("alert").filter({ hasText: "not accepted" })).toBeVisible();
  await expect(p.getByTestId("whoami")).toHaveCount(0);
  await context.close();
});
