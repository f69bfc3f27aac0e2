import Link from "next/link";
import { ActionForm } from "@/components/action-form";
import { EmptyState } from "@/components/empty-state";
import { fmtDecimal, fmtStep, notOnPhones, PhoneRow, sideTone, Table, TableHead, When } from "@/components/format";
import type { ActionState } from "@/lib/auth/action-state";
import type { EventDTO, MarketRulesDTO, OrderDTO, PnlSummary, TradeDTO } from "@/lib/bot-settings/dto";
import { Money } from "@/lib/money";

type Action = (prev: ActionState, fd: FormData) => Promise<ActionState>;

export function PnlCard({ pnl, market }: { pnl: PnlSummary | null; market: MarketRulesDTO | null }) {
  if (!pnl) return <EmptyState title="No position yet">Position and profit and loss appear once the bot has run.</EmptyState>;
  const item = (label: string, value: string, unit: string, signed = false) => {
    const tone = signed && value.startsWith("-") ? "text-red-700 dark:text-red-400" : signed && value !== "0" && value !== "—" ? "text-emerald-700 dark:text-emerald-400" : "";
    return (
      <div className="rounded-lg border border-zinc-200 p-3 dark:border-zinc-800">
        <dt className="text-xs text-zinc-500">{label}</dt>
        <dd className={`text-lg font-semibold tabular-nums ${tone}`}>{value === "—" ? "—" : `${value} ${unit}`}</dd>
      </div>
    );
  };
  return (
    <section data-testid="pnl" aria-label="Position and PnL">
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-7 [&>div]:flex [&>div]:flex-col-reverse">
        {/* exact: a buy's fee in the base leaves fractions of a step, and rounding to the step showed more than the bot holds */}
        {item("position", fmtDecimal(pnl.position, 8), pnl.base)}
        {item("average entry", fmtStep(pnl.averageEntry, market?.priceTick), pnl.quote)}
        {item("realized PnL", fmtDecimal(pnl.realizedPnl, 4), pnl.quote, true)}
        {item("unrealized PnL", fmtDecimal(pnl.unrealizedPnl, 4), pnl.quote, true)}
        {item("total PnL", fmtDecimal(pnl.totalPnl, 4), pnl.quote, true)}
        {item("PnL today", fmtDecimal(pnl.dailyPnl, 4), pnl.quote, true)}
        {item("fees", fmtDecimal(pnl.fees, 6), pnl.quote)}
      </dl>
      <p className="mt-1 text-xs text-zinc-500">
        At the price {fmtStep(pnl.lastPrice, market?.priceTick)}, as of <When at={pnl.at} />. Total PnL is realized plus unrealized, after fees.
      </p>
    </section>
  );
}

/** The market rules a row is formatted with: the bot's, for its present symbol; a row from before a change of symbol is shown as stored. */
function rulesFor(row: { symbol: string }, bot: { symbol: string; market: MarketRulesDTO | null }): MarketRulesDTO | null {
  return row.symbol === bot.symbol ? bot.market : null;
}

/** After the client order id or trade id: paper, and the symbol when it is not the bot's present one. */
function rowNote(row: { symbol: string; paper: boolean }, bot: { symbol: string }): string {
  return `${row.paper ? " (paper)" : ""}${row.symbol !== bot.symbol ? ` (${row.symbol})` : ""}`;
}

export function OrderTable({ orders, empty, testId, bot, cancel }: { orders: OrderDTO[]; empty: string; testId: string; bot: { symbol: string; market: MarketRulesDTO | null }; cancel?: { action: Action; botId: string } }) {
  if (!orders.length) return <p className="text-sm text-zinc-500">{empty}</p>;
  return (
    <Table data-testid={testId}>
      <TableHead phoneColumn="Order" columns={["Created", "Client order id", "Side", "Type", "Price", "Amount", "Filled", "Status", "Note", ...(cancel ? [""] : [])]} />
      <tbody>
        {orders.map((o) => {
          const rules = rulesFor(o, bot);
          const price = o.price ? fmtStep(o.price, rules?.priceTick) : "market";
          const [amount, filled] = [fmtStep(o.amount, rules?.amountStep), fmtStep(o.filled, rules?.amountStep)];
          const note = o.error ?? o.reason;
          return (
            <tr key={o.id} data-testid="order-row" data-status={o.status} data-client-order-id={o.clientOrderId}>
              <PhoneRow side={o.side} amount={amount} price={price}>
                {o.status}
                {!new Money(o.filled).isZero() && `, ${filled} filled`} · <When at={o.createdAt} />
                {rowNote(o, bot)}
                {note && <span className="block">{note}</span>}
              </PhoneRow>
              <td className={notOnPhones}>
                <When at={o.createdAt} />
              </td>
              <td className={`font-mono text-xs ${notOnPhones}`}>
                {o.clientOrderId}
                {rowNote(o, bot)}
              </td>
              <td className={`${sideTone(o.side)} ${notOnPhones}`}>{o.side}</td>
              <td className={notOnPhones}>{o.type}</td>
              <td className={`tabular-nums ${notOnPhones}`}>{price}</td>
              <td className={`tabular-nums ${notOnPhones}`}>{amount}</td>
              <td className={`tabular-nums ${notOnPhones}`}>{filled}</td>
              <td className={notOnPhones}>{o.status}</td>
              <td className={`max-w-xs text-xs text-zinc-500 ${notOnPhones}`}>{note}</td>
              {cancel && (
                <td>
                  <ActionForm action={cancel.action} submitLabel="Cancel" danger confirm={`Cancel order ${o.clientOrderId} (${o.side} ${o.amount} at ${o.price ?? "market"})?`}>
                    <input type="hidden" name="botId" value={cancel.botId} />
                    <input type="hidden" name="orderId" value={o.id} />
                  </ActionForm>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

export function TradeTable({ trades, bot }: { trades: TradeDTO[]; bot: { symbol: string; market: MarketRulesDTO | null } }) {
  if (!trades.length) return <p className="text-sm text-zinc-500">No fills yet.</p>;
  return (
    <Table data-testid="trades">
      <TableHead phoneColumn="Fill" columns={["Filled at", "Side", "Price", "Amount", "Fee", "Trade id"]} />
      <tbody>
        {trades.map((t) => {
          const rules = rulesFor(t, bot);
          const [price, amount, fee] = [fmtStep(t.price, rules?.priceTick), fmtStep(t.amount, rules?.amountStep), `${fmtDecimal(t.fee, 8)} ${t.feeCurrency}`];
          return (
            <tr key={t.id} data-testid="trade-row" data-trade-id={t.exchangeTradeId} data-timestamp={t.timestamp}>
              <PhoneRow side={t.side} amount={amount} price={price}>
                fee {fee} · <When at={t.timestamp} />
                {rowNote(t, bot)}
              </PhoneRow>
              <td className={notOnPhones}>
                <When at={t.timestamp} />
              </td>
              <td className={`${sideTone(t.side)} ${notOnPhones}`}>{t.side}</td>
              <td className={`tabular-nums ${notOnPhones}`}>{price}</td>
              <td className={`tabular-nums ${notOnPhones}`}>{amount}</td>
              <td className={`tabular-nums ${notOnPhones}`}>{fee}</td>
              <td className={`font-mono text-xs ${notOnPhones}`}>
                {t.exchangeTradeId}
                {rowNote(t, bot)}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

const levelTone: Record<string, string> = { error: "text-red-700 dark:text-red-400", warn: "text-amber-700 dark:text-amber-400", info: "" };

export function EventList({ events, empty = "No events yet." }: { events: EventDTO[]; empty?: string }) {
  if (!events.length) return <p className="text-sm text-zinc-500">{empty}</p>;
  return (
    <ul className="space-y-1 text-sm" data-testid="events">
      {events.map((e) => (
        <li key={e.id} data-kind={e.kind} className={`break-words ${levelTone[e.level] ?? ""}`}>
          <When at={e.createdAt} /> <code className="text-xs">{e.kind}</code> {e.message}
        </li>
      ))}
    </ul>
  );
}

/** "Newest" and "Older" links for a cursor-paged list kept in the query string under `param`. */
export function Pager({ href, param, cursor, nextCursor, label }: { href: (patch: Record<string, string | null>) => string; param: string; cursor: string | undefined; nextCursor: string | null; label: string }) {
  if (!cursor && !nextCursor) return null;
  return (
    <nav aria-label={`${label} pages`} className="mt-2 flex gap-4 text-sm">
      {cursor && (
        <Link className="underline" href={href({ [param]: null })} scroll={false}>
          ← Newest
        </Link>
      )}
      {nextCursor && (
        <Link className="underline" href={href({ [param]: nextCursor })} scroll={false}>
          Older →
        </Link>
      )}
    </nav>
  );
}
