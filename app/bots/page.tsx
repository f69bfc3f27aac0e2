import type { Metadata } from "next";
import Link from "next/link";
import { confirmPasswordAction } from "@/app/actions";
import { ActionForm } from "@/components/action-form";
import { BotControls } from "@/components/bots/bot-controls";
import { BotFields } from "@/components/bots/bot-fields";
import { botPrefillFromBacktest } from "@/lib/data/backtests";
import { BotStatus } from "@/components/bots/bot-status";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { fmtDecimal, notOnPhones, PhoneLine, Table, TableHead } from "@/components/format";
import { LiveUpdates } from "@/components/live-updates";
import { requireUser } from "@/lib/auth/request";
import { atLeast } from "@/lib/auth/roles";
import { freeKeys, listBots } from "@/lib/data/list-bots";
import { latestEventId } from "@/lib/data/live";
import { paramFields, strategies } from "@/lib/strategies/registry";
import { controlBotAction, deleteBotAction, killSwitchAction, saveBotAction } from "./actions";

export const metadata: Metadata = { title: "Bots" };

export default async function BotsPage({ searchParams }: { searchParams: Promise<{ edit?: string; fromBacktest?: string; run?: string }> }) {
  const session = await requireUser();
  const isOwner = atLeast(session.user.role, "owner");
  const canOperate = atLeast(session.user.role, "operator");
  const [since, bots, keys, query] = await Promise.all([latestEventId(), listBots(), freeKeys(), searchParams]);
  const editing = bots.find((b) => b.id === query.edit);
  const prefill = editing ? undefined : await botPrefillFromBacktest(query.fromBacktest, query.run);
  const strategyOptions = Object.values(strategies).map((s) => ({ id: s.id, name: s.name, description: s.description, fields: paramFields(s.id) }));
  return (
    <>
      <div className="flex justify-end">
        <LiveUpdates since={since} minGapMs={2000} />
      </div>
      <PageHeader title="Bots" description="Server-side bots, each trading with its own key. Start, pause and stop them here; a worker runs them." />
      {isOwner && bots.length > 0 && (
        <div className="mb-4 flex justify-end">
          <ActionForm action={killSwitchAction} submitLabel="Kill switch: stop every bot" danger confirm="Stop EVERY bot and cancel EVERY open order of every bot now?" />
        </div>
      )}
      {bots.length === 0 ? (
        <EmptyState title="No bots yet">{isOwner ? "Create one below: it needs a free key that can trade." : "An owner creates bots; you will see them here."}</EmptyState>
      ) : (
        <Table>
          <TableHead columns={["Name", "Key", "Symbol", "Strategy", "Mode", "Status", "PnL", ""]} notOnPhones={["Key", "Symbol", "Strategy", "Mode", ""]} />
          <tbody>
            {bots.map((b) => (
              <tr key={b.id} data-testid="bot-row" data-name={b.name}>
                <td>
                  <Link className="wrap-anywhere underline" href={`/bots/${b.id}`}>
                    {b.name}
                  </Link>
                  {/* a phone's row: the symbol and mode here, the controls on the bot's page */}
                  <PhoneLine>
                    {b.symbol} · <Mode mode={b.mode} />
                  </PhoneLine>
                </td>
                <td className={notOnPhones}>{b.key ? `${b.key.label} (${b.key.maskedKeyId})${b.key.status !== "active" ? ` — ${b.key.status}` : ""}` : "—"}</td>
                <td className={notOnPhones}>{b.symbol}</td>
                <td className={notOnPhones}>{strategies[b.strategy]?.name ?? b.strategy}</td>
                <td className={notOnPhones}>
                  <Mode mode={b.mode} />
                </td>
                <td className="max-w-sm">
                  <BotStatus status={b.status} statusMessage={b.statusMessage} statusSince={b.statusSince} lastError={b.lastError} lastErrorAt={b.lastErrorAt} />
                </td>
                <td className="text-xs tabular-nums">{b.pnl ? `${fmtDecimal(b.pnl.totalPnl ?? b.pnl.realizedPnl, 4)} ${b.pnl.quote}` : "—"}</td>
                <td className={`space-y-2 ${notOnPhones}`}>
                  {canOperate && <BotControls bot={b} action={controlBotAction} />}
                  {isOwner && b.desiredState === "stopped" && !["running", "starting", "stopping", "pausing"].includes(b.status) && (
                    <div className="flex flex-wrap items-end gap-3">
                      <a className="text-sm underline" href={`/bots?edit=${b.id}`}>
                        Edit
                      </a>
                      <a className="text-sm underline" href={`/keys?rotate=${b.id}`}>
                        Rotate key
                      </a>
                      <ActionForm action={deleteBotAction} submitLabel="Delete" danger confirm={`Delete "${b.name}"? Its orders and events stay in the history; its key becomes free.`}>
                        <input type="hidden" name="id" value={b.id} />
                      </ActionForm>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {isOwner && (
        <section id="create-bot" className="mt-10">
          <h2 className="text-lg font-medium">{editing ? `Edit "${editing.name}"` : "Create a bot"}</h2>
          {!editing && keys.length === 0 && (
            <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
              No free key that can trade. <a className="underline" href="/keys">Add a key</a> first: each bot needs its own.
            </p>
          )}
          {prefill && (
            <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400" data-testid="prefilled">
              Filled in from the backtest: strategy, symbol, parameters, its starting balance as the paper balance
              {Object.keys(prefill.limits).length ? " and the risk limits it was given" : ""}. It starts in paper mode.{" "}
              {Object.keys(prefill.limits).length < 4 && "The backtest ran without the other limits binding: the bot's limits below may make it trade less than the report shows."}
            </p>
          )}
          <ActionForm key={editing?.id ?? "new"} action={saveBotAction} submitLabel={editing ? "Save bot" : "Create bot"} reauthAction={confirmPasswordAction}>
            <BotFields
              keys={editing?.key ? [{ id: editing.key.id, label: editing.key.label, exchange: editing.exchange, maskedKeyId: editing.key.maskedKeyId }, ...keys.filter((k) => k.exchange === editing.exchange)] : keys}
              strategies={strategyOptions}
              initial={editing ? { ...editing, keyId: editing.key?.id ?? null } : undefined}
              prefill={prefill}
            />
          </ActionForm>
        </section>
      )}
    </>
  );
}

function Mode({ mode }: { mode: string }) {
  return mode === "live" ? <strong className="text-red-700 dark:text-red-400">LIVE</strong> : "paper";
}
