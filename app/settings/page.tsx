import type { Metadata } from "next";
import { ActionForm, Field } from "@/components/action-form";
import { requireUser } from "@/lib/auth/request";
import { confirmPasswordAction } from "../actions";
import { changePasswordAction } from "./actions";

export const metadata: Metadata = { title: "Settings" };

export default async function AccountPage() {
  const s = await requireUser();
  return (
    <section className="space-y-4">
      <p className="text-sm">
        Signed in as <strong>{s.user.email}</strong> with the <strong>{s.user.role}</strong> role.
      </p>
      <h2 className="text-lg font-medium">Change password</h2>
      <ActionForm action={changePasswordAction} submitLabel="Change password" reauthAction={confirmPasswordAction}>
        <Field name="current" label="Current password" type="password" autoComplete="current-password" required />
        <Field name="password" label="New password" type="password" autoComplete="new-password" required hint="At least 12 characters." />
        <Field name="confirm" label="Repeat new password" type="password" autoComplete="new-password" required />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="keepTokens" /> Keep my API tokens
        </label>
      </ActionForm>
      <p className="text-xs text-zinc-500">Changing the password logs out every other session and revokes your API tokens, unless you keep them.</p>
    </section>
  );
}
