import type { Metadata } from "next";
import Link from "next/link";
import { StatGrid } from "@/components/backtests/stat-grid";
import { PageHeader } from "@/components/empty-state";
import { fmtDecimal, notOnPhones, onlyOnPhones, PhoneLine, sideTone, Table, TableHead, When } from "@/components/format";
import { differenceRows } from "@/lib/backtest/replay-differences";
import { botReplay } from "@/lib/data/backtests";
import { strategies } from "@/lib/strategies/registry";
import { utcMinute } from "@/lib/utc";

export const metadata: Metadata = { title: "Replay" };
export const dynamic = "force-dynamic";

const at = (ms: number) => <When at={new Date(ms).toISOString()} />;

/** The table shows this many differences (a bot that ran for weeks can have thousands; the API has them all). */
const maxRows = 500;

export default async function ReplayPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const result = await botReplay(id);
  if ("error" in result) {
    return (
      <>
        <PageHeader title="Replay" description="The bot's strategy re-run over the candles of the period it ran, beside what happened live." />
        <p role="alert" className="rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">{result.error}</p>
        <p className="mt-4 text-sm"><Link className="underline" href={`/bots/${id}`}>← Back to the bot</Link></p>
      </>
    );
  }
  const r = result.replay;
  const quote = r.bot.symbol.split("/")[1] ?? "";
  const rows = differenceRows(r);
  return (
    <>
      <PageHeader title={`Replay of ${r.bot.name}`} description={`${strategies[r.bot.strategy]?.name ?? r.bot.strategy} on ${r.bot.symbol}, ${r.period.candles} ${r.period.timeframe} candles from ${utcMinute(r.period.from)}, with its parameters and risk limits.`} />
      <p className="mb-4 text-sm"><Link className="underline" href={`/bots/${id}`}>← Back to the bot</Link></p>
      <div className="mb-6">
        <StatGrid
          testId="replay-totals"
          items={[
            ["Live fills compared", r.live.fills],
            ["Simulated fills", r.simulated.fills],
            ["Matched", r.totals.matched],
            ["Only live", r.totals.onlyLive],
            ["Only simulated (missed signals)", r.totals.onlySimulated],
            [`Slippage cost (${quote})`, fmtDecimal(r.totals.slippageQuote, 4)],
            [`Fees live − simulated (${quote})`, fmtDecimal(r.totals.feeDifferenceQuote, 4)],
            ["Simulated return", `${r.simulated.returnPct} %`],
          ] as const}
        />
      </div>
      <h2 className="mb-2 text-lg font-medium">Where they differ</h2>
      {rows.length > 0 && (
        <Table>
          <TableHead phoneColumn="Difference" columns={["Time", "What", "Side", "Live price", "Simulated price", `Cost (${quote})`]} />
          <tbody>
            {rows.slice(0, maxRows).map((row) => (
              <tr key={row.key} data-testid="difference">
                <td className={onlyOnPhones}>
                  <span className={sideTone(row.side)}>{row.side}</span>: {row.what}
                  <PhoneLine>
                    live {row.live} · simulated {row.simulated} · cost {row.cost} · {at(row.time)}
                  </PhoneLine>
                </td>
                <td className={notOnPhones}>{at(row.time)}</td>
                <td className={notOnPhones}>{row.what}</td>
                <td className={notOnPhones}>{row.side}</td>
                <td className={`tabular-nums ${notOnPhones}`}>{row.live}</td>
                <td className={`tabular-nums ${notOnPhones}`}>{row.simulated}</td>
                <td className={`tabular-nums ${notOnPhones}`}>{row.cost}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {rows.length > maxRows && <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">The first {maxRows} of {rows.length} differences; <code>GET /api/v1/bots/{id}/replay</code> answers all of them.</p>}
      {rows.length === 0 && (
        <p className="text-sm text-zinc-500">{r.matched.length + r.onlyLive.length + r.onlySimulated.length === 0 ? "No fills live or simulated in this period." : "None: every live fill matched a simulated one at the same price."}</p>
      )}
      {r.later.length > 0 && (
        <p data-testid="replay-later" className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
          Not compared yet: {r.later.length === 1 ? "1 live fill" : `${r.later.length} live fills`} after {utcMinute(r.period.comparedUntil)}: the candles to compare {r.later.length === 1 ? "it" : "them"} with have not closed yet. Replay again after the next {r.period.timeframe} candle closes.
        </p>
      )}
      <ul className="mt-6 list-disc space-y-1 pl-6 text-sm text-zinc-600 dark:text-zinc-400">
        {r.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </>
  );
}
