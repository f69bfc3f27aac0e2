import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionForm } from "@/components/action-form";
import { EquityChart, PriceWithFills } from "@/components/backtests/report-charts";
import { ProgressBar } from "@/components/backtests/progress-bar";
import { StatGrid } from "@/components/backtests/stat-grid";
import { SweepTable } from "@/components/backtests/sweep-table";
import { PageHeader } from "@/components/empty-state";
import { fmtDecimal, notOnPhones, PhoneLine, PhoneRow, sideTone, Table, TableHead, When } from "@/components/format";
import { RefreshWhile } from "@/components/refresh-while";
import { ParamList } from "@/components/strategy-params";
import { atLeast } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/request";
import { fillMarkers } from "@/lib/backtest/fill-markers";
import { demoMarketNote, maxRefusalsKept, type BacktestLimits } from "@/lib/backtest/types";
import { backtestWithReport } from "@/lib/data/backtests";
import { strategies } from "@/lib/strategies/registry";
import { cancelBacktestAction, deleteBacktestAction } from "../actions";

export const metadata: Metadata = { title: "Backtest" };

const stat = (v: number | string | null, unit = "") => (v === null ? "—" : `${v}${unit}`);

function limitsText(l: BacktestLimits | undefined, quote: string, base: string): string {
  const given = [
    l?.maxOrderNotional && `max order notional ${l.maxOrderNotional} ${quote}`,
    l?.maxDailyLoss && `max daily loss ${l.maxDailyLoss} ${quote}`,
    l?.maxOpenOrders && `max open orders ${l.maxOpenOrders}`,
    l?.maxPosition && `max position ${l.maxPosition} ${base}`,
  ].filter(Boolean);
  if (!given.length) return "none given: none binding";
  return given.length < 4 ? `${given.join(" · ")}; the others not binding` : given.join(" · ");
}

export default async function BacktestPage({ params }: { params: Promise<{ id: string }> }) {
  const session = await requireUser();
  const job = await backtestWithReport((await params).id);
  if (!job) notFound();
  const c = job.config;
  const quote = c.symbol.split("/")[1] ?? "";
  const running = job.status === "queued" || job.status === "running";
  const r = job.report;
  const s = r?.summary;
  return (
    <>
      <RefreshWhile active={running} everyMs={1000} />
      <PageHeader title={job.name} description={`${strategies[c.strategy]?.name ?? c.strategy} on ${c.symbol} ${c.timeframe}, ${c.source === "csv" ? "CSV candles" : `${c.exchange} history`}, fee ${c.fee}, slippage ${c.slippageBps} bps, ${c.balance} ${quote} to start.`} />
      <p className="mb-4 text-sm">
        <Link className="underline" href="/backtests">
          ← All backtests
        </Link>
      </p>
      <dl className="mb-6 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
        <dt className="text-zinc-500">{c.sweep ? "Parameters every run shares" : "Parameters"}</dt>
        <ParamList strategy={c.strategy} params={c.sweep ? Object.fromEntries(Object.entries(c.params).filter(([name]) => !(name in c.sweep!))) : c.params} testId="backtest-params" className="sm:col-span-3" />
        <dt className="text-zinc-500">Risk limits</dt>
        <dd data-testid="backtest-limits" className="sm:col-span-3">
          {limitsText(c.limits, quote, c.symbol.split("/")[0] ?? "")}
        </dd>
      </dl>
      {c.source === "exchange" && c.exchange === "demo" && (
        <p data-testid="demo-market-note" className="mb-6 rounded-md border border-zinc-300 p-3 text-sm text-zinc-700 dark:border-zinc-700 dark:text-zinc-300">
          {demoMarketNote}
        </p>
      )}
      {running && (
        <section data-testid="backtest-progress" className="mb-6 flex flex-wrap items-center gap-4">
          <div className="w-64">
            <ProgressBar value={job.progress} label="Backtest progress" />
          </div>
          <span className="text-sm text-zinc-600 dark:text-zinc-400">{job.message ?? job.status}</span>
          {atLeast(session.user.role, "operator") && (
            <ActionForm action={cancelBacktestAction} submitLabel="Cancel" danger confirm="Cancel this backtest?">
              <input type="hidden" name="id" value={job.id} />
            </ActionForm>
          )}
        </section>
      )}
      {!running && atLeast(session.user.role, "operator") && (
        <div className="mb-4 flex justify-end">
          <ActionForm action={deleteBacktestAction} submitLabel="Delete backtest" danger confirm={`Delete the backtest "${job.name}" and its report? This cannot be undone.`}>
            <input type="hidden" name="id" value={job.id} />
          </ActionForm>
        </div>
      )}
      {job.sweep && (
        <section className="space-y-3">
          <h2 className="text-lg font-medium">Parameter sweep: {job.sweep.results.length} runs</h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">{job.message} Click a column to sort.</p>
          <SweepTable jobId={job.id} results={job.sweep.results} swept={Object.keys(job.sweep.grid)} canRun={atLeast(session.user.role, "operator")} canCreateBot={atLeast(session.user.role, "owner")} />
        </section>
      )}
      {!running && !r && !job.sweep && (
        <p role="alert" className="mb-6 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          {job.status}: {job.message}
        </p>
      )}
      {r && s && (
        <div className="space-y-8">
          <p data-testid="backtest-candles" className="text-sm text-zinc-600 dark:text-zinc-400">
            {job.message}
          </p>
          <section className="flex flex-wrap items-center justify-between gap-3">
            <StatGrid
              testId="summary"
              items={[
                  ["Start equity", `${s.startEquity} ${quote}`],
                  ["Final equity", `${s.finalEquity} ${quote}`],
                  ["Return", stat(s.returnPct, " %")],
                  ["Buy and hold", stat(s.buyAndHoldReturnPct, " %")],
                  ["Max drawdown", stat(s.maxDrawdownPct, " %")],
                  ["Sharpe (daily)", stat(s.sharpe)],
                  ["Sortino (daily)", stat(s.sortino)],
                  ["Win rate", s.winRate === null ? "—" : `${Math.round(s.winRate * 1000) / 10} %`],
                  ["Profit factor", stat(s.profitFactor)],
                  ["Exposure", stat(s.exposurePct, " %")],
                  ["Fees", `${s.fees} ${quote}`],
                  ["Fills / round trips", `${s.fills} / ${s.roundTrips}`],
                ] as const}
            />
            {atLeast(session.user.role, "owner") && (
              <Link data-testid="create-bot" href={`/bots?fromBacktest=${job.id}#create-bot`} className="rounded-md bg-zinc-900 px-4 py-1.5 text-sm font-medium text-white dark:bg-zinc-100 dark:text-zinc-900">
                Create a bot from this (paper)
              </Link>
            )}
          </section>
          {r.stoppedBy && <p className="text-sm text-red-700 dark:text-red-400">A risk limit stopped the bot: {r.stoppedBy}</p>}
          {r.refusals.length > 0 && (
            <p data-testid="refusal-note" className="text-sm text-amber-800 dark:text-amber-300">
              {r.refusals.length >= maxRefusalsKept ? `${maxRefusalsKept.toLocaleString("en")} or more` : r.refusals.length} order(s) the strategy asked for were refused — the first: {r.refusals[0]!.reason}. The first 100 are listed under the fill rules below.
            </p>
          )}
          <section>
            <h2 className="mb-2 text-lg font-medium">Equity and drawdown</h2>
            <EquityChart equity={r.equity} quote={quote} />
          </section>
          <section>
            <h2 className="mb-2 text-lg font-medium">Price and fills</h2>
            <PriceWithFills prices={r.prices} marks={fillMarkers(r.prices.map((p) => p.time), r.fills)} fills={r.fills.length} symbol={c.symbol} />
          </section>
          <section>
            <h2 className="mb-2 text-lg font-medium">Fills ({r.fills.length})</h2>
            <Table>
              <TableHead phoneColumn="Fill" columns={["Time", "Side", "Type", "Price", "Amount", "Quote", "Fee", "Why"]} />
              <tbody>
                {r.fills.slice(0, 200).map((f) => {
                  const time = <When at={new Date(f.time).toISOString()} />;
                  const [amount, fee] = [fmtDecimal(f.amount, 8), `${fmtDecimal(f.fee, 8)} ${f.feeCurrency}`];
                  return (
                    <tr key={`${f.orderId}-${f.time}`} data-testid="fill-row">
                      <PhoneRow side={f.side} amount={amount} price={f.price}>
                        {f.type} · fee {fee} · {time}
                        <span className="block">{f.reason}</span>
                      </PhoneRow>
                      <td className={notOnPhones}>{time}</td>
                      <td className={`${sideTone(f.side)} ${notOnPhones}`}>{f.side}</td>
                      <td className={notOnPhones}>{f.type}</td>
                      <td className={`tabular-nums ${notOnPhones}`}>{f.price}</td>
                      <td className={`tabular-nums ${notOnPhones}`}>{amount}</td>
                      <td className={`tabular-nums ${notOnPhones}`}>{fmtDecimal(f.quote, 2)}</td>
                      <td className={`tabular-nums ${notOnPhones}`}>{fee}</td>
                      <td className={`text-xs ${notOnPhones}`}>{f.reason}</td>
                    </tr>
                  );
                })}
              </tbody>
            </Table>
            <p className="mt-2 text-xs text-zinc-500">
              {r.fills.length > 200 ? `The first 200 of ${r.fills.length} fills. ` : ""}
              <a className="underline" href={`/api/backtests/${job.id}/report`} download>
                Download the whole report (JSON)
              </a>
              : every fill and round trip, the equity curve and the statistics — the report the command line prints.
            </p>
          </section>
          <section>
            <h2 className="mb-2 text-lg font-medium">Round trips ({r.roundTrips.length})</h2>
            <Table>
              <TableHead columns={["Opened", "Closed", "Spent", "Received", "Fees", "PnL"]} notOnPhones={["Closed", "Spent", "Received", "Fees"]} />
              <tbody>
                {r.roundTrips.slice(0, 200).map((t) => (
                  <tr key={t.openedAt} data-testid="round-trip-row">
                    <td>
                      <When at={new Date(t.openedAt).toISOString()} />
                      <PhoneLine>
                        closed <When at={new Date(t.closedAt).toISOString()} />
                      </PhoneLine>
                    </td>
                    <td className={notOnPhones}><When at={new Date(t.closedAt).toISOString()} /></td>
                    <td className={`tabular-nums ${notOnPhones}`}>{fmtDecimal(t.spent, 2)}</td>
                    <td className={`tabular-nums ${notOnPhones}`}>{fmtDecimal(t.received, 2)}</td>
                    <td className={`tabular-nums ${notOnPhones}`}>{fmtDecimal(t.fees, 4)}</td>
                    <td className={`tabular-nums ${t.pnl.startsWith("-") ? "text-red-700 dark:text-red-400" : "text-emerald-700 dark:text-emerald-400"}`}>{fmtDecimal(t.pnl, 2)}</td>
                  </tr>
                ))}
              </tbody>
            </Table>
            {r.roundTrips.length > 200 && <p className="mt-2 text-xs text-zinc-500">The first 200 of {r.roundTrips.length} round trips; all of them are in the downloaded report.</p>}
          </section>
          <section>
            <h2 className="mb-2 text-lg font-medium">Rules of this simulation</h2>
            <ul className="list-disc space-y-1 pl-6 text-sm">
              {r.rules.map((rule) => (
                <li key={rule}>{rule}</li>
              ))}
            </ul>
            {r.refusals.length > 0 && (
              <details className="mt-3 text-sm">
                <summary>{r.refusals.length} refused order(s)</summary>
                <ul className="mt-2 list-disc pl-6 text-xs">
                  {r.refusals.slice(0, 100).map((x, i) => (
                    <li key={i}>
                      <When at={new Date(x.time).toISOString()} />: {x.reason}
                    </li>
                  ))}
                </ul>
              </details>
            )}
          </section>
        </div>
      )}
    </>
  );
}
