import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ActionForm, Field } from "@/components/action-form";
import { PageHeader } from "@/components/empty-state";
import { userCount } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { setupAction } from "./actions";

export const metadata: Metadata = { title: "Set up" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if ((await userCount(db())) > 0) redirect("/login");
  return (
    <div className="mx-auto max-w-md">
      <PageHeader title="Set up Keyward" description="Create the owner account. The owner manages keys, bots and users." />
      <ActionForm action={setupAction} submitLabel="Create owner" className="space-y-3">
        <Field name="email" label="Email" type="email" autoComplete="username" required />
        <Field name="password" label="Password" type="password" autoComplete="new-password" required hint="At least 12 characters." />
        <Field name="confirm" label="Repeat password" type="password" autoComplete="new-password" required />
      </ActionForm>
    </div>
  );
}
