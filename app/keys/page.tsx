import type { Metadata } from "next";
import { confirmPasswordAction } from "@/app/actions";
import { ActionForm } from "@/components/action-form";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { notOnPhones, PhoneLine, Table, TableHead, When } from "@/components/format";
import { AddKeyFields } from "@/components/keys/add-key-fields";
import { DemoKeyFields } from "@/components/keys/demo-key-fields";
import { ScopeBadges } from "@/components/keys/scope-badges";
import { atLeast } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/request";
import { exchangeOptions } from "@/lib/data/exchange-options";
import { listBots } from "@/lib/data/list-bots";
import { listKeys } from "@/lib/data/list-keys";
import { revocationNotice } from "@/lib/data/revocation-notice";
import { env } from "@/lib/env";
import { addKeyAction, compromisedAction, createDemoKeyAction, recheckKeyAction, revokeKeyAction } from "./actions";

export const metadata: Metadata = { title: "Keys" };

const statusLabel: Record<string, string> = { active: "active", revoked: "revoked", rejected: "rejected by exchange" };

export default async function KeysPage({ searchParams }: { searchParams: Promise<{ revoked?: string; rotate?: string }> }) {
  const session = await requireUser();
  const [keys, query, bots] = await Promise.all([listKeys(), searchParams, listBots()]);
  const rotating = query.rotate ? bots.find((b) => b.id === query.rotate) : undefined;
  const notice = query.revoked ? await revocationNotice(query.revoked) : null;
  const isOwner = atLeast(session.user.role, "owner");
  const canOperate = atLeast(session.user.role, "operator");
  return (
    <>
      <PageHeader title="Keys" description="Exchange API keys, verified with the exchange and stored sealed. One key per bot." />
      {notice && (
        <section role="status" data-testid="revocation" className="mb-6 rounded-lg border border-amber-400 bg-amber-50 p-4 text-sm dark:bg-amber-950">
          <p className="font-medium">
            {notice.compromised ? "Treated as compromised: " : ""}Key &quot;{notice.label}&quot; revoked; its ciphertext is destroyed.
            {notice.botStopped && ` Bot "${notice.botStopped}" stopped.`}
            {notice.cancelReport && ` Open orders: ${notice.cancelReport}.`}
          </p>
          <ol data-testid="steps" className="mt-2 list-decimal space-y-1 pl-6">
            {notice.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </section>
      )}
      {keys.length === 0 ? (
        <EmptyState title="No keys yet">
          {isOwner ? "Add a key below, or create a demo key to try Keyward without a real exchange." : "An owner adds keys; you will see them here."}
        </EmptyState>
      ) : (
        <Table>
          <TableHead columns={["Label", "Exchange", "Key", "Scopes", "Verified", "Bot", "Status", ""]} notOnPhones={["Exchange", "Key", "Verified", "Bot", "Status"]} />
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} data-testid="key-row" data-label={k.label}>
                <td>
                  <span className="wrap-anywhere">{k.label}</span>
                  {/* a phone's row: the exchange, the bot and the status here */}
                  <PhoneLine>
                    {exchangeName(k.exchange)} · {k.bot ? `bot ${k.bot.name}` : "free"} · <KeyStatus k={k} phone />
                  </PhoneLine>
                </td>
                <td className={notOnPhones}>
                  {exchangeName(k.exchange)}
                  {k.sameAccountAs.length > 0 && (
                    <span data-testid="same-account" className="mt-1 block text-xs text-zinc-500">
                      same exchange account as {k.sameAccountAs.join(", ")}
                    </span>
                  )}
                </td>
                <td className={notOnPhones}>
                  <code>{k.maskedKeyId}</code>
                </td>
                <td>{k.status === "revoked" ? <span className="text-zinc-500">—</span> : <ScopeBadges k={k} />}</td>
                <td className={notOnPhones}>{k.verifiedAt ? <When at={new Date(k.verifiedAt)} /> : "—"}</td>
                <td className={notOnPhones}>{k.bot?.name ?? <span className="text-zinc-500">free</span>}</td>
                <td title={k.statusMessage ?? undefined} className={notOnPhones}>
                  <KeyStatus k={k} />
                </td>
                <td className="space-y-2">
                  {k.status !== "revoked" && canOperate && <ActionForm action={recheckKeyAction} submitLabel="Re-check"><input type="hidden" name="id" value={k.id} /></ActionForm>}
                  {k.status !== "revoked" && isOwner && (
                    <>
                      <ActionForm action={revokeKeyAction} submitLabel="Revoke" danger confirm={`Revoke "${k.label}"? ${k.bot ? `Bot "${k.bot.name}" will be stopped. ` : ""}Keyward destroys its copy of the key; this cannot be undone.`}>
                        <input type="hidden" name="id" value={k.id} />
                        {k.bot && (
                          <label className="flex items-center gap-1 text-xs">
                            <input type="checkbox" name="cancelOrders" defaultChecked /> cancel open orders first
                          </label>
                        )}
                      </ActionForm>
                      <ActionForm action={compromisedAction} submitLabel="This key may be compromised" danger confirm={`Treat "${k.label}" as compromised? Its bot is stopped, its open orders cancelled and the key revoked at once.`}>
                        <input type="hidden" name="id" value={k.id} />
                      </ActionForm>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}

      {isOwner && (
        <section className="mt-10 space-y-8">
          <div>
            <h2 className="text-lg font-medium">{rotating ? `Rotate the key of bot "${rotating.name}"` : "Add a key"}</h2>
            {rotating && <p className="text-sm">The new key is verified like any other; then the bot uses it, keeps its history, and its old key is revoked.</p>}
            <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
              Give each bot its own key with <b>read and trade only</b>, restricted to this server&apos;s IP address. Keyward checks the key with the exchange, seals it,
              and never shows it again.
            </p>
            <ActionForm action={addKeyAction} submitLabel="Verify and add" reauthAction={confirmPasswordAction}>
              {rotating && <input type="hidden" name="rotateBotId" value={rotating.id} />}
              <AddKeyFields exchanges={rotating ? exchangeOptions().filter((e) => e.id === rotating.exchange) : exchangeOptions()} initialExchange={rotating?.exchange} />
            </ActionForm>
          </div>
          {env().demoExchangeUrl && (
            <div>
              <h2 className="text-lg font-medium">Create a demo key</h2>
              <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">Mints a key on the built-in demo exchange (a fresh account with 10,000 USDT) with the permissions you choose, and adds it.</p>
              <ActionForm action={createDemoKeyAction} submitLabel="Create demo key" reauthAction={confirmPasswordAction}>
                <DemoKeyFields />
              </ActionForm>
            </div>
          )}
        </section>
      )}
    </>
  );
}

const exchangeName = (id: string) => (id === "demo" ? "Demo (Binance API)" : id);

/** The key's status and its latest warning: in the Status column, or on a phone under the label (without the warning's time, too wide there). */
function KeyStatus({ k, phone = false }: { k: { status: string; lastWarning: { at: Date | string; message: string } | null }; phone?: boolean }) {
  return (
    <>
      {statusLabel[k.status] ?? k.status}
      {k.lastWarning && k.status !== "revoked" && (
        <span data-testid={phone ? undefined : "key-warning"} className="mt-1 block max-w-xs text-xs text-amber-700 dark:text-amber-400">
          {!phone && (
            <>
              <When at={k.lastWarning.at} />:{" "}
            </>
          )}
          {k.lastWarning.message}
        </span>
      )}
    </>
  );
}
