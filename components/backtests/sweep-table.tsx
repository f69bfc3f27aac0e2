"use client";

/** A parameter sweep's results: one row per combination, sorted by any column (click its header). */
import { useState } from "react";
import { Table } from "@/components/format";

interface Row {
  params: Record<string, unknown>;
  summary: { returnPct: number; maxDrawdownPct: number; sharpe: number | null; winRate: number | null; profitFactor: number | null; fills: number; finalEquity: string };
}

const columns = [
  ["returnPct", "Return %"],
  ["maxDrawdownPct", "Max drawdown %"],
  ["sharpe", "Sharpe"],
  ["winRate", "Win rate"],
  ["profitFactor", "Profit factor"],
  ["fills", "Fills"],
] as const;

export function SweepTable({ results, swept }: { results: Row[]; swept: string[] }) {
  const [sort, setSort] = useState<{ key: string; desc: boolean }>({ key: "returnPct", desc: true });
  const value = (r: Row, key: string): number => {
    const v = swept.includes(key) ? Number(r.params[key]) : (r.summary as unknown as Record<string, number | null>)[key];
    return v === null || v === undefined || Number.isNaN(v) ? -Infinity : Number(v);
  };
  const rows = [...results].sort((a, b) => (sort.desc ? value(b, sort.key) - value(a, sort.key) : value(a, sort.key) - value(b, sort.key)));
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
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={JSON.stringify(r.params)} data-testid="sweep-row">
            {swept.map((p) => (
              <td key={p} className="tabular-nums">{String(r.params[p])}</td>
            ))}
            <td className="tabular-nums">{r.summary.returnPct}</td>
            <td className="tabular-nums">{r.summary.maxDrawdownPct}</td>
            <td className="tabular-nums">{r.summary.sharpe ?? "—"}</td>
            <td className="tabular-nums">{r.summary.winRate ?? "—"}</td>
            <td className="tabular-nums">{r.summary.profitFactor ?? "—"}</td>
            <td className="tabular-nums">{r.summary.fills}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
