import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { EmptyState, Loading, PageHeader } from "@/components/empty-state";
import { fmtDecimal, notOnPhones, Table, TableHead, When } from "@/components/format";
import { LiveUpdates } from "@/components/live-updates";
import { modeFilters, overview, overviewBalances, type ModeFilter } from "@/lib/data/overview";

export const metadata: Metadata = { title: "Overview" };

const statusTone: Record<string, string> = { running: "text-emerald-700 dark:text-emerald-400", error: "text-red-700 dark:text-red-400", paused: "text-amber-700 dark:text-amber-400" };

function signed(v: string): string {
  return v.startsWith("-") ? "text-red-700 dark:text-red-400" : v === "0" ? "" : "text-emerald-700 dark:text-emerald-400";
}

function Card({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <div className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800" data-testid={testId}>
      <h2 className="mb-2 text-sm font-medium text-zinc-600 dark:text-zinc-400">{label}</h2>
      {children}
    </div>
  );
}

/** Balances valued at exchange prices: rendered on their own so a slow exchange does not hold up the page. */
async function Balances({ mode }: { mode: ModeFilter }) {
  const b = await overviewBalances(mode);
  return (
    <section className="mt-8" aria-labelledby="balances">
      <h2 id="balances" className="mb-2 text-lg font-medium">
        {b.paper ? "Paper balances" : "Balances"}
        {b.rows.length > 0 && (
          <span className="ml-2 text-sm font-normal text-zinc-500" data-testid="balance-total">
            ≈ {fmtDecimal(b.totalValue)} {b.quote}
            {b.unpriced.length > 0 ? ` (without ${b.unpriced.join(", ")}: no price)` : ""}
          </span>
        )}
      </h2>
      {b.rows.length === 0 ? (
        <p className="text-sm text-zinc-500">No balances yet: bots read their key&apos;s balances when they start and every minute while they run.</p>
      ) : (
        <Table data-testid="balances">
          <TableHead columns={["Asset", "Total", `Value (${b.quote})`, "Accounts", "As of"]} notOnPhones={["Accounts", "As of"]} />
          <tbody>
            {b.rows.map((r) => (
              <tr key={r.asset} data-asset={r.asset}>
                <td>{r.asset}</td>
                <td className="tabular-nums">{fmtDecimal(r.total, 8)}</td>
                <td className="tabular-nums">{r.value === null ? "no price" : fmtDecimal(r.value)}</td>
                <td className={`tabular-nums ${notOnPhones}`}>{r.accounts}</td>
                <td className={notOnPhones}>
                  <When at={r.asOf} />
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {b.unknownAccounts > 1 && (
        <p className="mt-2 text-xs text-zinc-500" data-testid="unknown-accounts">
          The exchange account of {b.unknownAccounts} keys is not known (their exchange does not report it, or they were added before Keyward read it: Re-check on the Keys page reads it): each is counted as an account of its own, so keys of one account count its balances more than once.
        </p>
      )}
    </section>
  );
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<{ denied?: string; mode?: string }> }) {
  const q = await searchParams;
  const mode = (modeFilters as readonly string[]).includes(q.mode ?? "") ? (q.mode as ModeFilter) : "all";
  const o = await overview(mode);
  return (
    <>
      <div className="flex flex-wrap items-start justify-between gap-2">
        <PageHeader title="Overview" description="Every bot at once: status, profit and loss, balances, open orders and what needs your attention." />
        <LiveUpdates since={o.since} minGapMs={2000} />
      </div>
      {q.denied && (
        <p role="alert" className="mb-4 text-sm text-red-700 dark:text-red-400">
          Your role does not allow that page.
        </p>
      )}
      <nav aria-label="Which bots" className="mb-4 flex gap-1 text-sm">
        {modeFilters.map((m) => (
          <Link key={m} href={m === "all" ? "/" : `/?mode=${m}`} aria-current={m === mode ? "page" : undefined} className={`rounded px-3 py-1 ${m === mode ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "hover:bg-zinc-200 dark:hover:bg-zinc-800"}`}>
            {m === "all" ? "All bots" : m === "live" ? "Live" : "Paper"}
          </Link>
        ))}
      </nav>

      {o.warnings.length > 0 && (
        <section aria-labelledby="warnings" className="mb-6 rounded-lg border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950/40" data-testid="warnings">
          <h2 id="warnings" className="mb-2 text-sm font-semibold">
            Needs your attention ({o.warnings.length})
          </h2>
          <ul className="space-y-1 text-sm">
            {o.warnings.map((w, i) => (
              <li key={i} className={w.level === "error" ? "text-red-800 dark:text-red-300" : "text-amber-900 dark:text-amber-200"}>
                <Link className="underline" href={w.href}>
                  {w.message}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      )}

      {o.bots === 0 ? (
        <EmptyState title={mode === "all" ? "No bots yet" : `No ${mode} bots`}>
          {mode === "all" ? (
            <>
              Add a key on the <Link className="underline" href="/keys">Keys</Link> page, then create a bot on the <Link className="underline" href="/bots">Bots</Link> page. Its status, profit and loss and orders show here.
            </>
          ) : (
            <>Switch to All bots to see the others.</>
          )}
        </EmptyState>
      ) : (
        <div className="grid grid-cols-1 gap-3 md:grid-cols-3">
          <Card label={`Bots (${o.bots})`} testId="bots-by-status">
            <ul className="space-y-0.5 text-sm">
              {o.botsByStatus.map((s) => (
                <li key={s.status} className="flex justify-between" data-status={s.status}>
                  <span className={statusTone[s.status] ?? ""}>{s.status}</span>
                  <span className="tabular-nums">{s.count}</span>
                </li>
              ))}
            </ul>
            <p className={`mt-2 text-xs ${o.errorEventsToday ? "text-red-700 dark:text-red-400" : "text-zinc-500"}`}>{o.errorEventsToday} error event(s) in the last 24 h</p>
          </Card>
          <Card label="Profit and loss" testId="pnl-totals">
            {o.pnl.length === 0 ? (
              <p className="text-sm text-zinc-500">None yet: PnL appears once a bot has run.</p>
            ) : (
              <table className="w-full text-sm">
                <thead>
                  <tr className="text-xs text-zinc-500">
                    <th className="text-left font-normal">Quote</th>
                    <th className="text-right font-normal">Today</th>
                    <th className="text-right font-normal">7 days</th>
                    <th className="text-right font-normal">Total</th>
                  </tr>
                </thead>
                <tbody>
                  {o.pnl.map((p) => (
                    <tr key={p.quote}>
                      <td>{p.quote}</td>
                      <td className={`text-right tabular-nums ${signed(p.today)}`}>{fmtDecimal(p.today)}</td>
                      <td className={`text-right tabular-nums ${signed(p.week)}`}>{fmtDecimal(p.week)}</td>
                      <td className={`text-right tabular-nums ${signed(p.total)}`}>{fmtDecimal(p.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
          <Card label={`Open orders (${o.openOrders.count})`} testId="open-orders-card">
            {o.openOrders.newest.length === 0 ? (
              <p className="text-sm text-zinc-500">No open orders.</p>
            ) : (
              <ul className="space-y-0.5 text-sm">
                {o.openOrders.newest.map((ord) => (
                  <li key={ord.id} className="flex justify-between gap-2">
                    <Link className="truncate underline" href={`/bots/${ord.botId}`}>
                      {ord.botName}
                    </Link>
                    <span className="whitespace-nowrap tabular-nums">
                      {ord.side} {ord.amount} @ {ord.price ?? "market"}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </Card>
        </div>
      )}

      <Suspense fallback={<Loading what="balances" />}>
        <Balances mode={mode} />
      </Suspense>

      <section className="mt-8" aria-labelledby="recent">
        <h2 id="recent" className="mb-2 text-lg font-medium">
          Recent events
        </h2>
        <p className="mb-2 text-xs text-zinc-500">Orders, fills, statuses and errors; each order&apos;s status changes and balance reads are on its bot&apos;s page.</p>
        {o.recentEvents.length === 0 ? (
          <p className="text-sm text-zinc-500">No events yet.</p>
        ) : (
          <ul className="space-y-1 text-sm" data-testid="recent-events">
            {o.recentEvents.map((e) => (
              <li key={e.id} className={`break-words ${e.level === "error" ? "text-red-700 dark:text-red-400" : e.level === "warn" ? "text-amber-700 dark:text-amber-400" : ""}`}>
                <When at={e.createdAt} />{" "}
                {e.botId && e.botName ? (
                  <Link className="underline" href={`/bots/${e.botId}`}>
                    {e.botName}
                  </Link>
                ) : null}{" "}
                <code className="text-xs">{e.kind}</code> {e.message}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="mt-8" aria-labelledby="workers">
        <h2 id="workers" className="mb-2 text-lg font-medium">
          Workers
        </h2>
        {o.workers.length === 0 ? (
          <p className="text-sm text-red-700 dark:text-red-400">No worker is running: bots do not trade. Start Keyward with npm start, or run npm run worker.</p>
        ) : (
          <Table data-testid="workers">
            <TableHead columns={["Worker", "Host", "Bots", "Heartbeat"]} />
            <tbody>
              {o.workers.map((w) => (
                <tr key={w.workerId} data-testid="worker-row">
                  <td className="font-mono text-xs">{w.workerId}</td>
                  <td>{w.host}</td>
                  <td className="tabular-nums">{w.bots}</td>
                  <td className={w.stale ? "text-red-700 dark:text-red-400" : ""}>
                    {Math.round(w.heartbeatAgeMs / 1000)} s ago{w.stale ? " — not responding" : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
        <p className="mt-2 text-xs text-zinc-500">{o.keys.active} active key(s).</p>
      </section>
    </>
  );
}
