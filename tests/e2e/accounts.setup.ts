import { expect, test } from "@playwright/test";
import { ownerState } from "../../playwright.config";
import { enterPassword, expectFitsPhone, login, owner, rememberTotp, totpCode } from "./helpers";

test("first run: setup → logout → wrong password → login → forced two-factor enrolment → one session → revoke it → log in with a code", async ({ page }) => {
  // No user yet: every page leads to /setup.
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/setup$/);
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Password", { exact: true }).fill("too short");
  await page.getByLabel("Repeat password").fill("too short");
  await page.getByRole("button", { name: "Create owner" }).click();
  await expect(page.getByText("Use at least 12 characters.")).toBeVisible();

  await page.getByLabel("Password", { exact: true }).fill(owner.password);
  await page.getByLabel("Repeat password").fill(owner.password);
  await page.getByRole("button", { name: "Create owner" }).click();
  await expect(page.getByTestId("whoami")).toContainText(`${owner.email} · owner`);

  // Until the owner has a second factor, every page says what the password alone controls.
  await expect(page.getByTestId("two-factor-banner")).toContainText("Your password alone controls 0 active keys and 0 live bots.");

  // /setup is gone once a user exists.
  await page.goto("/setup");
  await expect(page).toHaveURL(/\/$/);

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login$/);

  // Wrong password and unknown user get the same generic answer.
  const answers: string[] = [];
  for (const [email, password] of [
    [owner.email, "wrong-password-123"],
    ["nobody@example.test", "wrong-password-123"],
  ]) {
    await page.getByLabel("Email").fill(email!);
    await page.getByLabel("Password", { exact: true }).fill(password!);
    await page.getByRole("button", { name: "Log in" }).click();
    const alert = page.getByRole("main").getByRole("alert");
    await expect(alert).toBeVisible();
    answers.push((await alert.textContent()) ?? "");
  }
  expect(answers[0]).toMatch(/Email or password is incorrect/);
  expect(answers[1]).toBe(answers[0]);

  // The policy (default: owners) sends the owner, who has no second factor, to set one up; nothing else opens meanwhile.
  await enterPassword(page, owner.email, owner.password);
  await expect(page).toHaveURL(/\/login\/enrol$/);
  await page.goto("/keys");
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/login/enrol");
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent())!.trim();
  await expect(page.getByRole("img", { name: /QR code/ })).toBeVisible();
  rememberTotp(owner.email, secret, 0);
  await page.getByLabel("Code from the app").fill(await totpCode(owner.email));
  await page.getByRole("button", { name: "Turn on" }).click();
  await expect(page.getByTestId("recovery-code")).toHaveCount(10);
  await page.getByRole("button", { name: "I saved them — continue" }).click();
  await expect(page.getByTestId("whoami")).toContainText(`${owner.email} · owner`);
  await expect(page.getByTestId("two-factor-banner")).toHaveCount(0);

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Sessions" }).click();
  await expect(page.getByTestId("session-row")).toHaveCount(1);
  await expect(page.getByTestId("session-row")).toContainText("this browser");
  // revoked from a phone (a stolen laptop is noticed anywhere): the list fits its width, the button on screen
  const desktop = page.viewportSize()!;
  await expectFitsPhone(page, page.getByTestId("session-row"), "Revoke");
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("session-row").getByRole("button", { name: "Revoke" }).click();
  await page.goto("/settings/sessions");
  await expect(page).toHaveURL(/\/login$/);
  await page.setViewportSize(desktop);

  // Log in again and keep this session for the other tests.
  await login(page, owner.email, owner.password);
  await page.context().storageState({ path: ownerState });
});
