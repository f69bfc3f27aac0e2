import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { BotControls } from "@/components/bots/bot-controls";
import { EventList, OrderTable, Pager, PnlCard, TradeTable } from "@/components/bots/bot-history";
import { BotStatus } from "@/components/bots/bot-status";
import { PnlCurve } from "@/components/bots/pnl-curve";
import { PriceChart } from "@/components/bots/price-chart";
import { PageHeader } from "@/components/empty-state";
import { fmtDecimal, Table, TableHead, When } from "@/components/format";
import { LiveUpdates } from "@/components/live-updates";
import { ParamList } from "@/components/strategy-params";
import { requireUser } from "@/lib/auth/request";
import { atLeast } from "@/lib/auth/roles";
import { botDetail, orderFilters, type OrderFilter } from "@/lib/data/bot-detail";
import { strategies } from "@/lib/strategies/registry";
import { cancelOrderAction, controlBotAction } from "../actions";

export const metadata: Metadata = { title: "Bot" };

type Query = { orders?: string; oc?: string; tc?: string; ec?: string };

export default async function BotPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Query> }) {
  const session = await requireUser();
  const [{ id }, q] = await Promise.all([params, searchParams]);
  const orderFilter = (q.orders && q.orders in orderFilters ? q.orders : "all") as OrderFilter;
  const detail = await botDetail(id, { orderFilter, ordersCursor: q.oc, tradesCursor: q.tc, eventsCursor: q.ec });
  if (!detail) notFound();
  const { bot } = detail;
  const canOperate = atLeast(session.user.role, "operator");
  const href = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(Object.entries({ ...q, ...patch }).filter((e): e is [string, string] => typeof e[1] === "string" && e[1] !== ""));
    return `/bots/${id}${next.size ? `?${next}` : ""}`;
  };
  const quote = bot.symbol.split("/")[1] ?? "";
  return (
    <>
      <div className="mb-2 flex items-center justify-between text-sm">
        <Link className="underline" href="/bots">
          ← Bots
        </Link>
        <LiveUpdates botId={bot.id} since={detail.since} />
      </div>
      <PageHeader title={bot.name} description={`${strategies[bot.strategy]?.name ?? bot.strategy} on ${bot.symbol} (${bot.exchange === "demo" ? "demo exchange" : bot.exchange}), ${bot.mode === "live" ? "LIVE" : "paper"}, a tick every ${bot.tickSeconds} s.`} />
      <section className="mb-6 flex flex-wrap items-start justify-between gap-4" aria-label="Status and controls">
        <BotStatus status={bot.status} statusMessage={bot.statusMessage} statusSince={bot.statusSince} lastError={bot.lastError} lastErrorAt={bot.lastErrorAt} workerId={bot.workerId} />
        {canOperate && <BotControls bot={bot} action={controlBotAction} />}
      </section>
      <PriceChart botId={bot.id} symbol={bot.symbol} />
      <PnlCard pnl={bot.pnl} market={bot.market} />

      <h2 className="mb-2 mt-8 text-lg font-medium">Equity curve</h2>
      <PnlCurve points={detail.pnlCurve} quote={quote} />

      <h2 className="mb-2 mt-8 text-lg font-medium">Open orders</h2>
      <OrderTable orders={detail.openOrders} empty="No open orders." testId="open-orders" bot={bot} cancel={canOperate ? { action: cancelOrderAction, botId: bot.id } : undefined} />

      <h2 className="mb-2 mt-8 text-lg font-medium" id="orders">
        Orders
      </h2>
      <nav aria-label="Filter orders" className="mb-2 flex flex-wrap gap-1 text-sm">
        {(Object.keys(orderFilters) as OrderFilter[]).map((f) => (
          <Link key={f} href={href({ orders: f === "all" ? null : f, oc: null })} scroll={false} aria-current={f === orderFilter ? "page" : undefined} className={`rounded px-2 py-0.5 ${f === orderFilter ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900" : "hover:bg-zinc-200 dark:hover:bg-zinc-800"}`}>
            {f}
          </Link>
        ))}
      </nav>
      <OrderTable orders={detail.orders.items} empty={orderFilter === "all" ? "No orders yet: they appear here once the bot places them." : `No ${orderFilter} orders.`} testId="orders" bot={bot} />
      <Pager href={href} param="oc" cursor={q.oc} nextCursor={detail.orders.nextCursor} label="Orders" />

      <h2 className="mb-2 mt-8 text-lg font-medium">Fills</h2>
      <TradeTable trades={detail.trades.items} bot={bot} />
      <Pager href={href} param="tc" cursor={q.tc} nextCursor={detail.trades.nextCursor} label="Fills" />
      <p className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm">
        {detail.trades.items.length > 0 && (
          <a className="underline" href={`/api/bots/${bot.id}/fills`} download data-testid="fills-csv">
            Download all fills (CSV)
          </a>
        )}
        <Link className="underline" href={`/bots/${bot.id}/replay`}>
          Replay: compare these fills with a backtest of the same period
        </Link>
      </p>

      <h2 className="mb-2 mt-8 text-lg font-medium">Balances</h2>
      {detail.balances ? (
        <>
          <Table data-testid="balances">
            <TableHead columns={["Asset", "Free", "In orders", "Total"]} />
            <tbody>
              {detail.balances.balances.map((b) => (
                <tr key={b.currency}>
                  <td>{b.currency}</td>
                  <td className="tabular-nums">{fmtDecimal(b.free, 8)}</td>
                  <td className="tabular-nums">{fmtDecimal(b.used, 8)}</td>
                  <td className="tabular-nums">{fmtDecimal(b.total, 8)}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          <p className="mt-1 text-xs text-zinc-500">
            {detail.balances.paper ? "The paper account's balances" : `Key "${bot.key?.label ?? "?"}" at the exchange`}
            {detail.sharedWith.length > 0 && <span data-testid="shared-account">: the exchange account of bot(s) {detail.sharedWith.join(", ")} too</span>}, as of <When at={detail.balances.takenAt} />.
          </p>
        </>
      ) : (
        <p className="text-sm text-zinc-500">No balances yet: the bot reads them when it starts and every minute while it runs.</p>
      )}

      <h2 className="mb-2 mt-8 text-lg font-medium">Events</h2>
      <EventList events={detail.events.items} />
      <Pager href={href} param="ec" cursor={q.ec} nextCursor={detail.events.nextCursor} label="Events" />

      <h2 className="mb-2 mt-8 text-lg font-medium">Configuration</h2>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
        <dt className="text-zinc-500">Key</dt>
        <dd>
          {bot.key ? `${bot.key.label} (${bot.key.maskedKeyId}, ${bot.key.status})` : "—"}
          {bot.key?.withdraw && <span data-testid="badge-withdraw" className="ml-2 rounded bg-red-600 px-1.5 py-0.5 text-xs font-medium text-white">Withdraw</span>}
          {bot.key?.transfer && <span data-testid="badge-transfer" className="ml-2 rounded bg-red-600 px-1.5 py-0.5 text-xs font-medium text-white">Transfer</span>}
        </dd>
        <dt className="text-zinc-500">Parameters</dt>
        <ParamList strategy={bot.strategy} params={bot.params} testId="bot-params" />
        <dt className="text-zinc-500">Max order</dt>
        <dd>
          {bot.maxOrderNotional} {quote}
        </dd>
        <dt className="text-zinc-500">Max daily loss</dt>
        <dd>
          {bot.maxDailyLoss} {quote}
        </dd>
        <dt className="text-zinc-500">Max open orders</dt>
        <dd>{bot.maxOpenOrders}</dd>
        <dt className="text-zinc-500">Max position</dt>
        <dd>{bot.maxPosition ?? "—"}</dd>
        <dt className="text-zinc-500">Price tick / amount step</dt>
        <dd>{bot.market ? `${bot.market.priceTick ?? "—"} / ${bot.market.amountStep ?? "—"}` : "known after its first start"}</dd>
      </dl>
    </>
  );
}
