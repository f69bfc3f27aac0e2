import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { PageHeader } from "@/components/empty-state";
import { SecondFactorFields } from "@/components/two-factor/second-factor-fields";
import { currentPendingSignIn } from "@/lib/auth/request";
import { factorMethods, factorSummary } from "@/lib/auth/two-factor/factors";
import { db } from "@/lib/db/client";
import { cancelSignInAction, passkeyOptionsAction, verifySecondFactorAction } from "../actions";

export const metadata: Metadata = { title: "Second factor" };
export const dynamic = "force-dynamic";

/** The second step of a sign-in. Reachable only with a pending sign-in (a correct password in the last 5 minutes). */
export default async function VerifyPage() {
  const pending = await currentPendingSignIn();
  if (!pending) redirect("/login?expired=1");
  if (pending.purpose === "enrol") redirect("/login/enrol");
  const methods = factorMethods(await factorSummary(db(), pending.user.id));
  return (
    <div className="mx-auto max-w-md space-y-4">
      <PageHeader title="Second factor" description={`Signing in as ${pending.user.email}.`} />
      <ActionForm action={verifySecondFactorAction} submitLabel="Verify" className="space-y-3">
        <SecondFactorFields methods={methods} passkeyOptions={passkeyOptionsAction} />
      </ActionForm>
      <p className="text-xs text-zinc-500">Lost your authenticator and passkeys? Use one of your recovery codes in the code field. Without those, an administrator with access to the host can reset your second factor.</p>
      <form action={cancelSignInAction}>
        <button type="submit" className="text-sm underline">
          Cancel and start over
        </button>
      </form>
    </div>
  );
}
