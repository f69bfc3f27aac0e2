import { expect, test } from "@playwright/test";
import { formWith, submitWithReauth } from "./helpers";

test("SECURITY.md 6, 14: the owner rotates the vault key from Settings → Vault after re-entering the password", async ({ page }) => {
  await page.goto("/settings/vault");
  const before = await page.locator("tbody tr").count();
  page.on("dialog", (d) => d.accept());
  await submitWithReauth(page, formWith(page, "Rotate vault key"), "Rotate vault key");
  await expect(formWith(page, "Rotate vault key").getByRole("status")).toContainText(/Rotated: vault key v\d+ is primary; \d+ stored key\(s\) rewrapped; retired: v\d+/, { timeout: 60_000 });
  await page.reload();
  await expect(page.locator("tbody tr")).toHaveCount(before + 1);
  await expect(page.locator("tbody tr").last()).toContainText("primary");
  await expect(page.locator("tbody tr").first()).toContainText("retired");
});
