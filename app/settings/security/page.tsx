import type { Metadata } from "next";
import { confirmPasswordAction } from "@/app/actions";
import { ActionForm, Select } from "@/components/action-form";
import { notOnPhones, PhoneLine, Table, TableHead, When } from "@/components/format";
import { PasskeySetup } from "@/components/two-factor/passkey-setup";
import { ReauthGate } from "@/components/two-factor/reauth-gate";
import { RegenerateRecoveryCodes } from "@/components/two-factor/regenerate-recovery-codes";
import { TotpSetup } from "@/components/two-factor/totp-setup";
import { twoFactorScopes } from "@/lib/auth/two-factor/policy";
import { mySecondFactors } from "@/lib/data/my-second-factors";
import { confirmTotpAction, passkeyRegistrationOptionsAction, regenerateRecoveryCodesAction, registerPasskeyAction, removeFactorAction, setTwoFactorPolicyAction, startTotpAction } from "./actions";

export const metadata: Metadata = { title: "Two-factor sign-in" };

export default async function SecurityPage() {
  const f = await mySecondFactors();
  const last = (f.totp ? 1 : 0) + f.passkeys.length === 1 && f.required;
  return (
    <section className="space-y-8">
      <div className="space-y-2 text-sm">
        <p>
          With two-factor sign-in, a stolen password alone cannot start bots, switch them to live money or add keys: sign-in also asks for a code from an authenticator app or a
          passkey.
        </p>
        <p data-testid="two-factor-status">
          {f.any ? <strong>Two-factor sign-in is on for your account.</strong> : <strong>Two-factor sign-in is off for your account.</strong>}{" "}
          {f.required ? `It is required for your role (policy: ${f.policy}).` : `It is optional for your role (policy: ${f.policy}).`}
        </p>
      </div>

      {!f.fresh && <ReauthGate />}

      <div className="space-y-3">
        <h2 className="text-lg font-medium">Authenticator app</h2>
        {f.totp ? (
          <div className="flex flex-wrap items-center gap-4 text-sm" data-testid="totp-on">
            <span>
              On since <When at={f.totp.since} />; last used {f.totp.lastUsedAt ? <When at={f.totp.lastUsedAt} /> : "never"}.
            </span>
            {f.fresh && !last && (
              <ActionForm action={removeFactorAction} submitLabel="Remove authenticator app" danger confirm="Remove the authenticator app? Sign-in will no longer ask for its codes." reauthAction={confirmPasswordAction}>
                <input type="hidden" name="kind" value="authenticator" />
              </ActionForm>
            )}
          </div>
        ) : f.fresh ? (
          <TotpSetup start={startTotpAction} confirm={confirmTotpAction} />
        ) : (
          <p className="text-sm text-zinc-500">Not set up.</p>
        )}
      </div>

      <div className="space-y-3">
        <h2 className="text-lg font-medium">Passkeys</h2>
        {f.passkeys.length === 0 ? (
          <p className="text-sm text-zinc-500">No passkeys yet.</p>
        ) : (
          <Table>
            <TableHead columns={["Name", "Added", "Last used", ""]} notOnPhones={["Added", "Last used"]} />
            <tbody>
              {f.passkeys.map((p) => (
                <tr key={p.id} data-testid="passkey-row">
                  <td>
                    <span className="wrap-anywhere">{p.name}</span>
                    <PhoneLine>last used {p.lastUsedAt ? <When at={p.lastUsedAt} /> : "never"}</PhoneLine>
                  </td>
                  <td className={notOnPhones}>
                    <When at={p.createdAt} />
                  </td>
                  <td className={notOnPhones}>{p.lastUsedAt ? <When at={p.lastUsedAt} /> : "never"}</td>
                  <td>
                    {f.fresh && !last && (
                      <ActionForm action={removeFactorAction} submitLabel="Remove" danger confirm={`Remove the passkey "${p.name}"?`} reauthAction={confirmPasswordAction}>
                        <input type="hidden" name="kind" value="passkey" />
                        <input type="hidden" name="id" value={p.id} />
                      </ActionForm>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        {f.fresh && <PasskeySetup options={passkeyRegistrationOptionsAction} register={registerPasskeyAction} publicOrigin={f.publicOrigin} />}
        <p className="text-xs text-zinc-500">Passkeys work at {f.publicOrigin} (KEYWARD_PUBLIC_URL).</p>
      </div>

      {f.any && (
        <div className="space-y-3">
          <h2 className="text-lg font-medium">Recovery codes</h2>
          <p className="text-sm" data-testid="recovery-left">
            {f.recoveryLeft} of 10 left. Each signs you in once without your authenticator or passkey.
          </p>
          {f.fresh && <RegenerateRecoveryCodes action={regenerateRecoveryCodesAction} />}
        </div>
      )}
      {last && <p className="text-xs text-zinc-500">Your only factor cannot be removed while the policy requires two-factor sign-in for your role: add another first.</p>}

      {f.isOwner && (
        <div className="space-y-3">
          <h2 className="text-lg font-medium">Policy</h2>
          <ActionForm action={setTwoFactorPolicyAction} submitLabel="Save policy" reauthAction={confirmPasswordAction}>
            <Select name="scope" label="Require two-factor sign-in for" options={twoFactorScopes} defaultValue={f.policy} />
          </ActionForm>
          <p className="text-xs text-zinc-500">Users the policy covers who have no factor yet are sent to set one up right after their password, and can do nothing else until done.</p>
        </div>
      )}
    </section>
  );
}
