import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { PageHeader } from "@/components/empty-state";
import { PasskeySetup } from "@/components/two-factor/passkey-setup";
import { TotpSetup } from "@/components/two-factor/totp-setup";
import { currentPendingSignIn } from "@/lib/auth/request";
import { relyingParty } from "@/lib/auth/two-factor/passkeys";
import { confirmTotpAction, finishEnrolmentAction, passkeyRegistrationOptionsAction, registerPasskeyAction, startTotpAction } from "@/app/settings/security/actions";
import { cancelSignInAction } from "../actions";

export const metadata: Metadata = { title: "Set up two-factor sign-in" };
export const dynamic = "force-dynamic";

/** Forced enrolment: the policy requires a second factor for this user, who has none yet. Nothing else opens until one is set up. */
export default async function EnrolPage() {
  const pending = await currentPendingSignIn();
  if (!pending) redirect("/login?expired=1");
  if (pending.purpose === "verify") redirect("/login/verify");
  return (
    <div className="mx-auto max-w-2xl space-y-6">
      <PageHeader title="Set up two-factor sign-in" description={`Two-factor sign-in is required for ${pending.user.email}. Set up an authenticator app or a passkey to continue (within 5 minutes).`} />
      <section className="space-y-3">
        <h2 className="text-lg font-medium">Authenticator app</h2>
        <TotpSetup start={startTotpAction} confirm={confirmTotpAction} finish={finishEnrolmentAction} />
      </section>
      <section className="space-y-3">
        <h2 className="text-lg font-medium">Or a passkey</h2>
        <PasskeySetup options={passkeyRegistrationOptionsAction} register={registerPasskeyAction} publicOrigin={relyingParty().origin} finish={finishEnrolmentAction} />
      </section>
      <form action={cancelSignInAction}>
        <button type="submit" className="text-sm underline">
          Cancel and log out
        </button>
      </form>
    </div>
  );
}
