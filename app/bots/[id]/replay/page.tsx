import type { Metadata } from "next";
import Link from "next/link";
import { StatGrid } from "@/components/backtests/stat-grid";
import { PageHeader } from "@/components/empty-state";
import { Table, TableHead, When } from "@/components/format";
import { botReplay } from "@/lib/data/backtests";
import { utcMinute } from "@/lib/utc";

export const metadata: Metadata = { title: "Replay" };
export const dynamic = "force-dynamic";

const at = (ms: number) => <When at={new Date(ms).toISOString()} />;

/** Why live did not act on a signal, when the bot was not running. */
function signalText(botWas: string | null): string {
  if (botWas === "unattended") return "a signal while no worker ran the bot";
  if (botWas === "error") return "a signal while the bot was in error";
  return botWas ? `a signal while the bot was ${botWas}` : "a signal live did not act on";
}

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
  return (
    <>
      <PageHeader title={`Replay of ${r.bot.name}`} description={`${r.bot.strategy} on ${r.bot.symbol}, ${r.period.candles} ${r.period.timeframe} candles from ${utcMinute(r.period.from)}, with its parameters and risk limits.`} />
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
            [`Slippage cost (${quote})`, Number(r.totals.slippageQuote).toFixed(4)],
            [`Fees live − simulated (${quote})`, Number(r.totals.feeDifferenceQuote).toFixed(4)],
            ["Simulated return", `${r.simulated.returnPct} %`],
          ] as const}
        />
      </div>
      <h2 className="mb-2 text-lg font-medium">Where they differ</h2>
      <Table>
        <TableHead columns={["Time", "What", "Side", "Live price", "Simulated price", `Cost (${quote})`]} />
        <tbody>
          {r.matched.filter((m) => m.priceDifference !== "0").map((m) => (
            <tr key={`m${m.live.time}`} data-testid="difference">
              <td>{at(m.live.time)}</td>
              <td>{Number(m.slippageQuote) > 0 ? "a worse price than assumed" : "a better price than assumed"}</td>
              <td>{m.live.side}</td>
              <td className="tabular-nums">{m.live.price}</td>
              <td className="tabular-nums">{m.simulated.price}</td>
              <td className="tabular-nums">{Number(m.slippageQuote).toFixed(4)}</td>
            </tr>
          ))}
          {r.onlyLive.map((l) => (
            <tr key={`l${l.time}${l.price}`} data-testid="difference">
              <td>{at(l.time)}</td>
              <td>a fill the backtest did not make</td>
              <td>{l.side}</td>
              <td className="tabular-nums">{l.price}</td>
              <td>—</td>
              <td>—</td>
            </tr>
          ))}
          {r.onlySimulated.map((s) => (
            <tr key={`s${s.time}${s.price}`} data-testid="difference">
              <td>{at(s.time)}</td>
              <td>{signalText(s.botWas)} ({s.reason})</td>
              <td>{s.side}</td>
              <td>—</td>
              <td className="tabular-nums">{s.price}</td>
              <td>—</td>
            </tr>
          ))}
        </tbody>
      </Table>
      {r.matched.length + r.onlyLive.length + r.onlySimulated.length === 0 && <p className="text-sm text-zinc-500">No fills live or simulated in this period.</p>}
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
