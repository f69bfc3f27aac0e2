import type { Metadata } from "next";
import Link from "next/link";
import { ActionForm, Field, Select } from "@/components/action-form";
import { CandleSourceFields } from "@/components/backtests/candle-source-fields";
import { ProgressBar } from "@/components/backtests/progress-bar";
import { StrategyFields } from "@/components/bots/strategy-fields";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { Table, TableHead, When } from "@/components/format";
import { RefreshWhile } from "@/components/refresh-while";
import { atLeast } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/request";
import { timeframes } from "@/lib/exchange/timeframes";
import { backtestParamFields, sweepRuns } from "@/lib/backtest/queue";
import { listBacktests } from "@/lib/data/backtests";
import { strategies } from "@/lib/strategies/registry";
import { queueBacktestAction } from "./actions";

export const metadata: Metadata = { title: "Backtests" };

const active = (s: string) => s === "queued" || s === "running";

export default async function BacktestsPage() {
  const session = await requireUser();
  const jobs = await listBacktests();
  const canRun = atLeast(session.user.role, "operator");
  const strategyOptions = Object.values(strategies).map((s) => ({ id: s.id, name: s.name, description: s.description, fields: backtestParamFields(s.id) }));
  return (
    <>
      <RefreshWhile active={jobs.some((j) => active(j.status))} everyMs={1000} />
      <PageHeader title="Backtests" description="Try a strategy on historical candles before it gets a real key: the same strategy code and risk limits as live bots." />
      {jobs.length === 0 ? (
        <EmptyState title="No backtests yet">{canRun ? "Run one below on the demo exchange's history or on your own CSV candles." : "Operators and owners run backtests; you will see them here."}</EmptyState>
      ) : (
        <Table>
          <TableHead columns={["Name", "Strategy", "Symbol", "Status", "Return", "Max drawdown", "Fills", "Started"]} />
          <tbody>
            {jobs.map((j) => (
              <tr key={j.id} data-testid="backtest-row">
                <td>
                  <Link className="underline" href={`/backtests/${j.id}`}>
                    {j.name}
                  </Link>
                </td>
                <td>
                  {strategies[j.config.strategy]?.name ?? j.config.strategy}
                  {j.config.sweep && <span className="text-zinc-500"> · sweep of {sweepRuns(j.config.sweep)}</span>}
                </td>
                <td>
                  {j.config.symbol} {j.config.timeframe}
                </td>
                <td>{active(j.status) ? <ProgressBar value={j.progress} label={`${j.name}: ${j.status}`} /> : j.status}</td>
                <td className="tabular-nums">{j.summary ? `${j.summary.returnPct.toFixed(2)} %` : "—"}</td>
                <td className="tabular-nums">{j.summary ? `${j.summary.maxDrawdownPct.toFixed(2)} %` : "—"}</td>
                <td>{j.summary?.fills ?? "—"}</td>
                <td>
                  <When at={j.createdAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {canRun && (
        <section className="mt-10">
          <h2 className="text-lg font-medium">Run a backtest</h2>
          <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
            Fills: a market order placed at a candle&apos;s close fills at the next candle&apos;s open; a limit order when a later candle reaches its price. The fee is taken from what you receive. Details in the report.
          </p>
          <ActionForm action={queueBacktestAction} submitLabel="Run backtest">
            <div className="flex w-full flex-col gap-3">
              <div className="flex flex-wrap gap-3">
                <Field name="name" label="Name" required placeholder="e.g. SMA 10/30 on DEMO" />
                <Field name="symbol" label="Symbol" required defaultValue="DEMO/USDT" />
                <Select name="timeframe" label="Timeframe" options={timeframes} defaultValue="1h" />
              </div>
              <StrategyFields strategies={strategyOptions} initialStrategy="sma-cross" showNames />
              <CandleSourceFields />
              <Field name="sweep" label="Parameter sweep (optional)" placeholder="fast=5,10,20; slow=30,50" hint="name=value1,value2; … with the names shown under the strategy's fields. Every combination is run, in parallel on the worker's cores; at most 200 runs." />
              <fieldset className="flex flex-wrap gap-3">
                <legend className="mb-1 text-sm font-medium">Account</legend>
                <Field name="balance" label="Starting balance (quote)" defaultValue="10000" />
                <Field name="fee" label="Fee rate" defaultValue="0.001" hint="0.001 = 0.1 %" />
                <Field name="slippageBps" label="Slippage (basis points)" defaultValue="0" />
              </fieldset>
              <fieldset className="flex flex-wrap gap-3">
                <legend className="mb-1 text-sm font-medium">Risk limits (optional, as a bot&apos;s; empty: not binding)</legend>
                <Field name="maxOrderNotional" label="Max order notional (quote)" />
                <Field name="maxDailyLoss" label="Max daily loss (quote)" />
                <Field name="maxOpenOrders" label="Max open orders" />
                <Field name="maxPosition" label="Max position (base)" />
              </fieldset>
            </div>
          </ActionForm>
        </section>
      )}
      <p className="mt-10 text-sm">
        <Link className="underline" href="/backtests/candles">
          Cached candles
        </Link>{" "}
        — the history downloaded so far, per exchange, symbol and timeframe.
      </p>
    </>
  );
}
