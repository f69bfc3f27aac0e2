import type { Metadata } from "next";
import { confirmPasswordAction } from "@/app/actions";
import { ActionForm } from "@/components/action-form";
import { BotFields } from "@/components/bots/bot-fields";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { table, TableHead } from "@/components/format";
import { requireUser } from "@/lib/auth/request";
import { atLeast } from "@/lib/auth/roles";
import { freeKeys, listBots } from "@/lib/data/list-bots";
import { paramFields } from "@/lib/strategies/registry";
import { deleteBotAction, saveBotAction } from "./actions";

export const metadata: Metadata = { title: "Bots" };

export default async function BotsPage({ searchParams }: { searchParams: Promise<{ edit?: string }> }) {
  const session = await requireUser();
  const isOwner = atLeast(session.user.role, "owner");
  const [bots, keys, query] = await Promise.all([listBots(), freeKeys(), searchParams]);
  const editing = bots.find((b) => b.id === query.edit);
  const params = paramFields("dca");
  return (
    <>
      <PageHeader title="Bots" description="Server-side bots, each trading with its own key. Start and stop arrive with the bot workers." />
      {bots.length === 0 ? (
        <EmptyState title="No bots yet">{isOwner ? "Create one below: it needs a free key that can trade." : "An owner creates bots; you will see them here."}</EmptyState>
      ) : (
        <table className={table}>
          <TableHead columns={["Name", "Key", "Symbol", "Strategy", "Mode", "Status", "Limits", ""]} />
          <tbody>
            {bots.map((b) => (
              <tr key={b.id} data-testid="bot-row" data-name={b.name}>
                <td>{b.name}</td>
                <td>{b.key ? `${b.key.label} (…${b.key.maskedKeyId})${b.key.status !== "active" ? ` — ${b.key.status}` : ""}` : "—"}</td>
                <td>{b.symbol}</td>
                <td>{b.strategy.toUpperCase()}</td>
                <td>{b.mode === "live" ? <strong className="text-red-700 dark:text-red-400">LIVE</strong> : "paper"}</td>
                <td data-testid="bot-status" title={b.statusMessage ?? undefined}>
                  {b.status}
                  {b.statusMessage && <span className="block text-xs text-zinc-500">{b.statusMessage}</span>}
                </td>
                <td className="text-xs">
                  ≤ {b.maxOrderNotional}/order, ≤ {b.maxDailyLoss} loss/day, ≤ {b.maxOpenOrders} open
                </td>
                <td className="space-y-1">
                  {isOwner && b.desiredState === "stopped" && (
                    <>
                      <a className="mr-3 text-sm underline" href={`/bots?edit=${b.id}`}>
                        Edit
                      </a>
                      <a className="text-sm underline" href={`/keys?rotate=${b.id}`}>
                        Rotate key
                      </a>
                      <ActionForm action={deleteBotAction} submitLabel="Delete" danger confirm={`Delete "${b.name}"? Its orders and events stay in the history; its key becomes free.`}>
                        <input type="hidden" name="id" value={b.id} />
                      </ActionForm>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isOwner && (
        <section className="mt-10">
          <h2 className="text-lg font-medium">{editing ? `Edit "${editing.name}"` : "Create a bot"}</h2>
          {!editing && keys.length === 0 && (
            <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
              No free key that can trade. <a className="underline" href="/keys">Add a key</a> first: each bot needs its own.
            </p>
          )}
          <ActionForm key={editing?.id ?? "new"} action={saveBotAction} submitLabel={editing ? "Save bot" : "Create bot"} reauthAction={confirmPasswordAction}>
            <BotFields
              keys={editing?.key ? [{ id: editing.key.id, label: editing.key.label, exchange: editing.exchange, maskedKeyId: editing.key.maskedKeyId }, ...keys.filter((k) => k.exchange === editing.exchange)] : keys}
              params={params}
              initial={editing ? { ...editing, keyId: editing.key?.id ?? null } : undefined}
            />
          </ActionForm>
        </section>
      )}
    </>
  );
}
