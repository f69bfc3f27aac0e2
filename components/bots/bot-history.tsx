import { EmptyState } from "@/components/empty-state";
import { table, TableHead, When } from "@/components/format";
import type { EventDTO, OrderDTO, PnlSummary, TradeDTO } from "@/lib/bot-settings/dto";

const at = (iso: string | null) => (iso ? new Date(iso) : null);

export function PnlCard({ pnl }: { pnl: PnlSummary | null }) {
  if (!pnl) return <EmptyState title="No position yet">Position and profit and loss appear once the bot has run.</EmptyState>;
  const item = (label: string, value: string | null, unit: string) => (
    <div className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
      <div className="text-lg font-semibold tabular-nums">{value === null ? "—" : `${value} ${unit}`}</div>
      <div className="text-xs text-zinc-500">{label}</div>
    </div>
  );
  return (
    <section data-testid="pnl">
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
        {item("position", pnl.position, pnl.base)}
        {item("average entry", pnl.averageEntry, pnl.quote)}
        {item("realized PnL", pnl.realizedPnl, pnl.quote)}
        {item("unrealized PnL", pnl.unrealizedPnl, pnl.quote)}
        {item("PnL today", pnl.dailyPnl, pnl.quote)}
        {item("fees", pnl.fees, pnl.quote)}
      </div>
      <p className="mt-1 text-xs text-zinc-500">
        At the price {pnl.lastPrice}, as of <When at={at(pnl.at)} />.
      </p>
    </section>
  );
}

export function OrderTable({ orders, empty, testId }: { orders: OrderDTO[]; empty: string; testId: string }) {
  if (!orders.length) return <p className="text-sm text-zinc-500">{empty}</p>;
  return (
    <table className={table} data-testid={testId}>
      <TableHead columns={["Created", "Client order id", "Side", "Type", "Price", "Amount", "Filled", "Status", ""]} />
      <tbody>
        {orders.map((o) => (
          <tr key={o.id} data-testid="order-row" data-status={o.status}>
            <td><When at={at(o.createdAt)} /></td>
            <td className="font-mono text-xs">{o.clientOrderId}{o.paper ? " (paper)" : ""}</td>
            <td>{o.side}</td>
            <td>{o.type}</td>
            <td className="tabular-nums">{o.price ?? "market"}</td>
            <td className="tabular-nums">{o.amount}</td>
            <td className="tabular-nums">{o.filled}</td>
            <td>{o.status}</td>
            <td className="max-w-xs text-xs text-zinc-500">{o.error ?? o.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TradeTable({ trades }: { trades: TradeDTO[] }) {
  if (!trades.length) return <p className="text-sm text-zinc-500">No fills yet.</p>;
  return (
    <table className={table} data-testid="trades">
      <TableHead columns={["Filled at", "Side", "Price", "Amount", "Fee", "Trade id"]} />
      <tbody>
        {trades.map((t) => (
          <tr key={t.id} data-testid="trade-row">
            <td><When at={at(t.timestamp)} /></td>
            <td>{t.side}</td>
            <td className="tabular-nums">{t.price}</td>
            <td className="tabular-nums">{t.amount}</td>
            <td className="tabular-nums">{t.fee} {t.feeCurrency}</td>
            <td className="font-mono text-xs">{t.exchangeTradeId}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const levelTone: Record<string, string> = { error: "text-red-700 dark:text-red-400", warn: "text-amber-700 dark:text-amber-400", info: "" };

export function EventList({ events }: { events: EventDTO[] }) {
  if (!events.length) return <p className="text-sm text-zinc-500">No events yet.</p>;
  return (
    <ul className="space-y-1 text-sm" data-testid="events">
      {events.map((e) => (
        <li key={e.id} data-kind={e.kind} className={levelTone[e.level] ?? ""}>
          <When at={at(e.createdAt)} /> <code className="text-xs">{e.kind}</code> {e.message}
        </li>
      ))}
    </ul>
  );
}
