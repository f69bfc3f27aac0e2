import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { table, TableHead, When } from "@/components/format";
import { overview } from "@/lib/data/overview";

export const metadata: Metadata = { title: "Overview" };

function Stat({ label, value, tone, href }: { label: string; value: number; tone?: "red" | "amber"; href: string }) {
  const color = tone === "red" && value ? "text-red-700 dark:text-red-400" : tone === "amber" && value ? "text-amber-700 dark:text-amber-400" : "";
  return (
    <Link href={href} className="rounded-lg border border-zinc-200 p-4 hover:bg-zinc-100 dark:border-zinc-800 dark:hover:bg-zinc-900" data-testid={`stat-${label}`}>
      <div className={`text-2xl font-semibold ${color}`}>{value}</div>
      <div className="text-sm text-zinc-600 dark:text-zinc-400">{label}</div>
    </Link>
  );
}

export default async function OverviewPage({ searchParams }: { searchParams: Promise<{ denied?: string }> }) {
  const [o, q] = await Promise.all([overview(), searchParams]);
  return (
    <>
      <PageHeader title="Overview" description="Your keys, bots and warnings at a glance." />
      {q.denied && <p role="alert" className="mb-4 text-sm text-red-700 dark:text-red-400">Your role does not allow that page.</p>}
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <Stat label="active keys" value={o.activeKeys} href="/keys" />
        <Stat label="keys that can withdraw" value={o.withdrawKeys} tone="red" href="/keys" />
        <Stat label="keys without IP restriction" value={o.unrestrictedKeys} tone="amber" href="/keys" />
        <Stat label="bots" value={o.bots} href="/bots" />
        <Stat label="running" value={o.runningBots} href="/bots" />
        <Stat label="paused" value={o.pausedBots} tone="amber" href="/bots" />
      </div>
      <section className="mt-8">
        <h2 className="mb-2 text-lg font-medium">Workers</h2>
        {o.workers.length === 0 ? (
          <p className="text-sm text-red-700 dark:text-red-400">No worker is running: bots do not trade. Start Keyward with npm start, or run npm run worker.</p>
        ) : (
          <table className={table} data-testid="workers">
            <TableHead columns={["Worker", "Host", "Bots", "Heartbeat"]} />
            <tbody>
              {o.workers.map((w) => (
                <tr key={w.workerId} data-testid="worker-row">
                  <td className="font-mono text-xs">{w.workerId}</td>
                  <td>{w.host}</td>
                  <td className="tabular-nums">{w.bots}</td>
                  <td className={w.stale ? "text-red-700 dark:text-red-400" : ""}>{Math.round(w.heartbeatAgeMs / 1000)} s ago{w.stale ? " — not responding" : ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="mt-8">
        <h2 className="mb-2 text-lg font-medium">Recent warnings</h2>
        {o.recentWarnings.length === 0 ? (
          <EmptyState title="Nothing to watch yet">No warnings. Balances, open orders and profit and loss will show here once bot workers run bots.</EmptyState>
        ) : (
          <ul className="space-y-1 text-sm">
            {o.recentWarnings.map((w) => (
              <li key={w.id}>
                <When at={w.at} /> — {w.message}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
