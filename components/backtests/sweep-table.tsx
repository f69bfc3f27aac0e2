"use client";

/**
 * A parameter sweep's results: one row per combination, sorted by any column
 * (click its header), each with "Run alone" (its full report: operators) and
 * a link that prefills a paper bot with its parameters (owners).
 */
import Link from "next/link";
import { useState } from "react";
import { runSweepRowAction } from "@/app/backtests/actions";
import { ActionForm } from "@/components/action-form";
import { Table } from "@/components/format";

interface Row {
  params: Record<string, unknown>;
  summary: { returnPct: number; maxDrawdownPct: number; sharpe: number | null; winRate: number | null; profitFactor: number | null; fills: number; finalEquity: string };
}

const columns = [
  ["returnPct", "Return %"],
  ["maxDrawdownPct", "Max drawdown %"],
  ["sharpe", "Sharpe"],
  ["winRate", "Win rate %"],
  ["profitFactor", "Profit factor"],
  ["fills", "Fills"],
] as const;

/** Statistics to two decimals in the table (the report keeps six; sorting uses them). */
const two = (v: number | null) => (v === null ? "—" : v.toFixed(2));

export function SweepTable({ jobId, results, swept, canRun, canCreateBot }: { jobId: string; results: Row[]; swept: string[]; canRun: boolean; canCreateBot: boolean }) {
  const [sort, setSort] = useState<{ key: string; desc: boolean }>({ key: "returnPct", desc: true });
  const value = (r: Row, key: string): number => {
    const v = swept.includes(key) ? Number(r.params[key]) : (r.summary as unknown as Record<string, number | null>)[key];
    return v === null || v === undefined || Number.isNaN(v) ? -Infinity : Number(v);
  };
  // each row keeps its index in the results: the bot form reads the run by it
  const rows = results.map((r, run) => ({ ...r, run })).sort((a, b) => (sort.desc ? value(b, sort.key) - value(a, sort.key) : value(a, sort.key) - value(b, sort.key)));
  const header = (key: string, label: string) => (
    <th key={key} aria-sort={sort.key === key ? (sort.desc ? "descending" : "ascending") : "none"}>
      <button type="button" className="underline decoration-dotted" onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : true })}>
        {label}
        {sort.key === key ? (sort.desc ? " ↓" : " ↑") : ""}
      </button>
    </th>
  );
  return (
    <Table>
      <thead>
        <tr>
          {swept.map((p) => header(p, p))}
          {columns.map(([k, l]) => header(k, l))}
          {(canRun || canCreateBot) && <th />}
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.run} data-testid="sweep-row">
            {swept.map((p) => (
              <td key={p} className="tabular-nums">{String(r.params[p])}</td>
            ))}
            <td className="tabular-nums">{two(r.summary.returnPct)}</td>
            <td className="tabular-nums">{two(r.summary.maxDrawdownPct)}</td>
            <td className="tabular-nums">{two(r.summary.sharpe)}</td>
            <td className="tabular-nums">{two(r.summary.winRate === null ? null : r.summary.winRate * 100)}</td>
            <td className="tabular-nums">{two(r.summary.profitFactor)}</td>
            <td className="tabular-nums">{r.summary.fills}</td>
            {(canRun || canCreateBot) && (
              <td>
                <div className="flex items-center gap-3">
                  {canRun && (
                    <ActionForm action={runSweepRowAction} submitLabel="Run alone">
                      <input type="hidden" name="id" value={jobId} />
                      <input type="hidden" name="run" value={r.run} />
                    </ActionForm>
                  )}
                  {canCreateBot && (
                    <Link className="text-xs underline" href={`/bots?fromBacktest=${jobId}&run=${r.run}#create-bot`}>
                      Create a bot (paper)
                    </Link>
                  )}
                </div>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
