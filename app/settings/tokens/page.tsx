import type { Metadata } from "next";
import { ActionForm, Field } from "@/components/action-form";
import { notOnPhones, PhoneLine, Table, TableHead, When } from "@/components/format";
import { tokenScopes } from "@/lib/auth/roles";
import { listMyTokens } from "@/lib/data/list-my-tokens";
import { confirmPasswordAction } from "@/app/actions";
import { createTokenAction, revokeTokenAction } from "../actions";

export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const tokens = await listMyTokens();
  return (
    <section className="space-y-6">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Tokens for scripts calling <code>/api/v1</code>, sent as <code>Authorization: Bearer kwt_…</code>. Scopes: <b>read</b> (view), <b>operate</b> (start and stop bots), <b>admin</b> (keys and users). A token never has more rights than your role.
      </p>
      <ActionForm action={createTokenAction} submitLabel="Create token" reauthAction={confirmPasswordAction}>
        <Field name="name" label="Name" required placeholder="e.g. monitoring script" />
        <Field name="expires" label="Expires in" defaultValue="30d" hint="30d, 12h or 90m; at most 365d" />
        <fieldset className="flex gap-3 text-sm">
          <legend className="sr-only">Scopes</legend>
          {Object.keys(tokenScopes).map((scope) => (
            <label key={scope} className="flex items-center gap-1">
              <input type="checkbox" name="scopes" value={scope} defaultChecked={scope === "read"} /> {scope}
            </label>
          ))}
        </fieldset>
      </ActionForm>
      {tokens.length === 0 ? (
        <p className="text-sm text-zinc-500">No API tokens yet.</p>
      ) : (
        <Table>
          <TableHead columns={["Name", "Token", "Scopes", "Expires", "Last used", ""]} notOnPhones={["Token", "Scopes", "Expires", "Last used"]} />
          <tbody>
            {tokens.map((t) => (
              <tr key={t.id} data-testid="token-row">
                <td>
                  <span className="wrap-anywhere">{t.name}</span>
                  <PhoneLine>
                    <code>{t.prefix}…</code> · {t.scopes.join(", ")} · last used <When at={t.lastUsedAt} />
                  </PhoneLine>
                </td>
                <td className={notOnPhones}><code>{t.prefix}…</code></td>
                <td className={notOnPhones}>{t.scopes.join(", ")}</td>
                <td className={notOnPhones} data-testid="token-expires"><When at={t.expiresAt} /></td>
                <td className={notOnPhones}><When at={t.lastUsedAt} /></td>
                <td>
                  {t.revoked ? (
                    <span className="text-zinc-500">revoked</span>
                  ) : (
                    <ActionForm action={revokeTokenAction} submitLabel="Revoke" danger confirm={`Revoke the token "${t.name}"? Scripts using it stop working.`}>
                      <input type="hidden" name="id" value={t.id} />
                    </ActionForm>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}
