import type { Metadata } from "next";
import { ActionForm, Field, Select } from "@/components/action-form";
import { EmptyState } from "@/components/empty-state";
import { Table, TableHead, When } from "@/components/format";
import { RefreshWhile } from "@/components/refresh-while";
import { alertEventNames, alertEvents } from "@/lib/alerts/catalog";
import { webhookFormats } from "@/lib/alerts/channel-config";
import { withSubject } from "@/lib/alerts/message";
import { alertChannelsWithLog } from "@/lib/data/list-alert-channels";
import { addChannelAction, deleteChannelAction, testChannelAction } from "./actions";

export const metadata: Metadata = { title: "Alerts" };

const statusStyle: Record<string, string> = {
  sent: "text-emerald-700 dark:text-emerald-400",
  failed: "text-red-700 dark:text-red-400",
  pending: "text-amber-700 dark:text-amber-400",
  sending: "text-amber-700 dark:text-amber-400",
  canceled: "text-zinc-500",
};

function EventBoxes() {
  return (
    <fieldset className="w-full text-sm">
      <legend className="mb-1">Send these events</legend>
      <div className="grid gap-1 sm:grid-cols-2">
        {alertEventNames.map((e) => (
          <label key={e} className="flex items-center gap-2">
            <input type="checkbox" name="events" value={e} defaultChecked={alertEvents[e].byDefault} />
            <span>
              <code>{e}</code> <span className="text-zinc-500">{alertEvents[e].label}</span>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function AddForm({ type, title, children }: { type: string; title: string; children: React.ReactNode }) {
  return (
    <details className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
      <summary className="cursor-pointer text-sm font-medium">{title}</summary>
      <ActionForm action={addChannelAction} submitLabel="Add channel" className="mt-3">
        <input type="hidden" name="type" value={type} />
        <Field name="name" label="Name" required placeholder="e.g. ops on-call" />
        {children}
        <EventBoxes />
      </ActionForm>
    </details>
  );
}

export default async function AlertsPage() {
  const channels = await alertChannelsWithLog();
  const waiting = channels.some((c) => c.deliveries.some((d) => d.status === "pending" || d.status === "sending"));
  return (
    <section className="space-y-6">
      <RefreshWhile active={waiting} />
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Alerts reach you when nobody is looking: a key that can suddenly withdraw, a bot in error, a worker that stopped. Secrets (webhook secret, bot token, SMTP password) are sealed in the vault and opened only by the worker, which sends.
        An alert raised while a channel is down waits and is retried; more than 10 of one kind in 10 minutes arrive as one digest.
      </p>

      {channels.length === 0 ? (
        <EmptyState title="No alert channels yet">Add a webhook, a Telegram chat or an email address below, then send a test.</EmptyState>
      ) : (
        channels.map(({ channel: c, deliveries }) => (
          <article key={c.id} data-testid="alert-channel" className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
            <header className="flex flex-wrap items-start justify-between gap-3">
              <div>
                <h2 className="font-medium">
                  {c.name} <span className="text-sm font-normal text-zinc-500">({c.type})</span>
                </h2>
                <p className="text-sm text-zinc-600 dark:text-zinc-400">
                  {c.target} · {c.hasSecret ? "secret sealed" : "no secret"} · {c.events.length} event{c.events.length === 1 ? "" : "s"}: {c.events.join(", ")}
                </p>
              </div>
              <div className="flex flex-wrap gap-2">
                <ActionForm action={testChannelAction} submitLabel="Send a test">
                  <input type="hidden" name="id" value={c.id} />
                </ActionForm>
                <ActionForm action={deleteChannelAction} submitLabel="Delete" danger confirm={`Delete the channel "${c.name}"? Its pending alerts are canceled and its secret destroyed.`}>
                  <input type="hidden" name="id" value={c.id} />
                </ActionForm>
              </div>
            </header>
            <h3 className="text-sm font-medium">Delivery log</h3>
            {deliveries.length === 0 ? (
              <p className="text-sm text-zinc-500">Nothing sent yet.</p>
            ) : (
              <Table>
                <TableHead columns={["Time", "Event", "Status", "Attempts", "Last error", "Message"]} />
                <tbody>
                  {deliveries.map((d) => (
                    <tr key={d.id} data-testid="delivery-row">
                      <td><When at={d.createdAt} /></td>
                      <td><code>{d.event}</code>{d.digest ? " (digest)" : ""}</td>
                      <td data-testid="delivery-status" className={statusStyle[d.status]}>
                        {d.status}
                        {d.nextAttemptAt && <span className="block text-xs text-zinc-500">next try <When at={d.nextAttemptAt} /></span>}
                      </td>
                      <td>{d.attempts}</td>
                      <td className="max-w-64 text-xs">{d.lastError ?? "—"}</td>
                      <td className="max-w-96 truncate text-xs" title={d.message}>{withSubject(d.subject, d.message)}</td>
                    </tr>
                  ))}
                </tbody>
              </Table>
            )}
          </article>
        ))
      )}

      <h2 className="text-lg font-medium">Add a channel</h2>
      <AddForm type="webhook" title="Webhook (JSON, Slack or Discord)">
        <Field name="url" label="URL" type="url" required placeholder="https://example.com/keyward-hook" hint="http or https; this machine's own addresses are allowed, cloud metadata never" />
        <Field name="secret" label="Signing secret (optional)" type="password" autoComplete="off" hint="signs each body: X-Keyward-Signature: sha256=<HMAC>" />
        <Select name="format" label="Body" options={webhookFormats} defaultValue="keyward" />
      </AddForm>
      <AddForm type="telegram" title="Telegram chat">
        <Field name="botToken" label="Bot token" type="password" autoComplete="off" required hint="from @BotFather, e.g. 123456:ABC-…" />
        <Field name="chatId" label="Chat id" required placeholder="-1001234567890 or @channel" />
        <Field name="apiBase" label="Bot API base URL" defaultValue="https://api.telegram.org" hint="change only for a self-hosted Bot API server" />
      </AddForm>
      <AddForm type="email" title="Email (SMTP)">
        <Field name="host" label="SMTP host" required placeholder="smtp.example.com" />
        <Field name="port" label="Port" defaultValue="587" />
        <Select name="security" label="Security" options={["starttls", "tls", "none"]} defaultValue="starttls" />
        <Field name="user" label="User (optional)" autoComplete="off" />
        <Field name="password" label="Password (optional)" type="password" autoComplete="off" />
        <Field name="from" label="From" type="email" required placeholder="keyward@example.com" />
        <Field name="to" label="To" type="email" required placeholder="ops@example.com" />
      </AddForm>
    </section>
  );
}
