import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ActionForm, Field } from "@/components/action-form";
import { PageHeader } from "@/components/empty-state";
import { currentSession } from "@/lib/auth/request";
import { userCount } from "@/lib/auth/users";
import { db } from "@/lib/db/client";
import { loginAction } from "./actions";

export const metadata: Metadata = { title: "Log in" };
export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ expired?: string }> }) {
  if ((await userCount(db())) === 0) redirect("/setup");
  if (await currentSession()) redirect("/");
  const expired = (await searchParams).expired === "1";
  return (
    <div className="mx-auto max-w-md">
      <PageHeader title="Log in" description="Keyward holds the keys to your exchange accounts." />
      {expired && (
        <p role="status" className="mb-3 text-sm text-amber-800 dark:text-amber-300">
          The sign-in step expired or was already used. Log in again.
        </p>
      )}
      <ActionForm action={loginAction} submitLabel="Log in" className="space-y-3">
        <Field name="email" label="Email" type="email" autoComplete="username" required />
        <Field name="password" label="Password" type="password" autoComplete="current-password" required />
      </ActionForm>
    </div>
  );
}
