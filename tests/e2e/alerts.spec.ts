/**
 * Issue 12: an owner adds a webhook channel in Settings → Alerts, sends a
 * test, and sees it delivered in the channel's log; the receiver got it, signed.
 */
import { createHmac } from "node:crypto";
import { expect, test } from "@playwright/test";
import { startReceiver } from "../helpers/webhook-receiver";

test("issue 12: add a webhook channel, send a test alert, see it sent in the delivery log", async ({ page }) => {
  const hook = await startReceiver();
  try {
    await page.goto("/settings/alerts");
    await expect(page.getByText("No alert channels yet")).toBeVisible();
    await page.getByText("Webhook (JSON, Slack or Discord)").click();
    const form = page.locator("form").filter({ has: page.locator('input[name="type"][value="webhook"]') });
    await form.getByLabel("Name").fill("e2e hook");
    await form.getByLabel("URL").fill(`${hook.url}/e2e`);
    await form.getByLabel("Signing secret (optional)").fill("e2e-signing-secret");
    // a cloud metadata address is refused, with the reason next to the field
    await form.getByLabel("URL").fill("http://169.254.169.254/latest/meta-data/");
    await form.getByRole("button", { name: "Add channel" }).click();
    await expect(page.getByRole("alert").filter({ hasText: "cloud metadata" }).first()).toBeVisible();
    await form.getByLabel("URL").fill(`${hook.url}/e2e`);
    await form.getByRole("button", { name: "Add channel" }).click();
    await expect(page.getByText('Channel "e2e hook" added.')).toBeVisible();

    const channel = page.getByTestId("alert-channel").filter({ hasText: "e2e hook" });
    await expect(channel).toContainText("secret sealed");
    await expect(page.locator("body")).not.toContainText("e2e-signing-secret");
    await channel.getByRole("button", { name: "Send a test" }).click();
    const row = channel.getByTestId("delivery-row").first();
    await expect(row).toContainText("test");
    await expect(row.getByTestId("delivery-status")).toHaveText(/^sent/, { timeout: 15_000 }); // the page refreshes itself while a delivery waits
    expect(hook.received).toHaveLength(1);
    const got = hook.received[0]!;
    expect(JSON.parse(got.body)).toMatchObject({ event: "test", severity: "info" });
    expect(got.headers["x-keyward-signature"]).toBe(`sha256=${createHmac("sha256", "e2e-signing-secret").update(got.body).digest("hex")}`);

    page.once("dialog", (d) => d.accept());
    await channel.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByText("No alert channels yet")).toBeVisible();
  } finally {
    await hook.close();
  }
});

test("an email channel whose password would cross the network unencrypted is refused, the reason under Security", async ({ page }) => {
  await page.goto("/settings/alerts");
  await page.getByText("Email (SMTP)").click();
  const form = page.locator("form").filter({ has: page.locator('input[name="type"][value="email"]') });
  await form.getByLabel("Name").fill("e2e mail");
  await form.getByLabel("SMTP host").fill("smtp.example.com");
  await form.getByLabel("Security").selectOption("none");
  await form.getByLabel("User (optional)").fill("alerts");
  await form.getByLabel("Password (optional)").fill("e2e-smtp-password");
  await form.getByLabel("From", { exact: true }).fill("keyward@example.com");
  await form.getByLabel("To", { exact: true }).fill("ops@example.com");
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(form.getByLabel("Security")).toHaveAccessibleDescription(/^The password would cross the network unencrypted: choose STARTTLS or TLS/);
  await expect(page.getByText("No alert channels yet")).toBeVisible();
  await form.getByLabel("Security").selectOption("starttls");
  await form.getByRole("button", { name: "Add channel" }).click();
  await expect(page.getByText('Channel "e2e mail" added.')).toBeVisible();
  page.once("dialog", (d) => d.accept());
  await page.getByTestId("alert-channel").filter({ hasText: "e2e mail" }).getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("No alert channels yet")).toBeVisible();
});
