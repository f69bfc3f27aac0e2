import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { input, button } from "@/components/action-form";
import { Table, TableHead, When } from "@/components/format";
import { listAudit } from "@/lib/data/list-audit";

export const metadata: Metadata = { title: "Audit" };

type Search = Promise<{ action?: string; actor?: string; page?: string }>;

export default async function AuditPage({ searchParams }: { searchParams: Search }) {
  const q = await searchParams;
  const data = await listAudit({ action: q.action || undefined, actor: q.actor || undefined, page: Number(q.page) || 1 });
  const link = (page: number) => `/audit?${new URLSearchParams({ ...(q.action ? { action: q.action } : {}), ...(q.actor ? { actor: q.actor } : {}), page: String(page) })}`;
  return (
    <>
      <PageHeader title="Audit" description="Who did what to which key or bot, from where. Append-only and hash-chained; check it with npm run keyward -- audit verify." />
      {data.ownOnly && <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">As a viewer you see your own entries only.</p>}
      <form className="mb-4 flex flex-wrap items-end gap-3 text-sm" method="get">
        <label className="flex flex-col">
          Action
          <select name="action" defaultValue={q.action ?? ""} className={input}>
            <option value="">all</option>
            {data.actions.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        </label>
        <label className="flex flex-col">
          Actor contains
          <input name="actor" defaultValue={q.actor ?? ""} className={input} />
        </label>
        <button className={button}>Filter</button>
      </form>
      {data.total === 0 ? (
        <EmptyState title="No audit entries yet">Nothing matches. Logins, key and bot changes and vault operations are recorded here.</EmptyState>
      ) : (
        <>
          <Table>
            <TableHead columns={["#", "When", "Actor", "From", "Action", "Target", "Detail"]} />
            <tbody>
              {data.entries.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td>{e.id}</td>
                  <td><When at={e.at} /></td>
                  <td>{e.actor}</td>
                  <td>{e.ip ?? "—"}</td>
                  <td><code>{e.action}</code></td>
                  <td>{e.target ?? "—"}</td>
                  <td className="max-w-xs truncate font-mono text-xs">{e.detail === "{}" ? "" : e.detail}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          <nav aria-label="Pages" className="mt-4 flex items-center gap-3 text-sm">
            {data.page > 1 && <Link href={link(data.page - 1)}>← Newer</Link>}
            <span>
              Page {data.page} of {data.pages} ({data.total} entries)
            </span>
            {data.page < data.pages && <Link href={link(data.page + 1)}>Older →</Link>}
          </nav>
        </>
      )}
    </>
  );
}
