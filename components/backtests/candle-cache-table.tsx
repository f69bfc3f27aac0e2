/**
 * The candles cached for backtests, one row per exchange, symbol and
 * timeframe, each deletable (operators) after a confirmation.
 */
import { deleteCachedCandlesAction } from "@/app/backtests/actions";
import { ActionForm } from "@/components/action-form";
import { EmptyState } from "@/components/empty-state";
import { Table, TableHead } from "@/components/format";
import type { CachedCandles } from "@/lib/backtest/candle-cache";
import { utcMinute } from "@/lib/utc";

export function CandleCacheTable({ rows, canDelete }: { rows: CachedCandles[]; canDelete: boolean }) {
  if (!rows.length) return <EmptyState title="No cached candles">A backtest or a replay on an exchange&apos;s history downloads its candles once and keeps them here.</EmptyState>;
  return (
    <Table>
      <TableHead columns={["Exchange", "Symbol", "Timeframe", "Candles", "From", "To", ...(canDelete ? [""] : [])]} />
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.exchange} ${r.symbol} ${r.timeframe}`} data-testid="cached-candles">
            <td>{r.exchange}</td>
            <td>{r.symbol}</td>
            <td>{r.timeframe}</td>
            <td className="tabular-nums">{r.candles.toLocaleString("en-US")}</td>
            <td>{r.from === null ? "—" : utcMinute(r.from)}</td>
            <td>{r.to === null ? "—" : utcMinute(r.to)}</td>
            {canDelete && (
              <td>
                <ActionForm action={deleteCachedCandlesAction} submitLabel="Delete" danger confirm={`Delete the ${r.timeframe} candles of ${r.symbol} cached from ${r.exchange}? The next backtest on them downloads them again.`}>
                  <input type="hidden" name="exchange" value={r.exchange} />
                  <input type="hidden" name="symbol" value={r.symbol} />
                  <input type="hidden" name="timeframe" value={r.timeframe} />
                </ActionForm>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
