import type { Metadata } from "next";
import Link from "next/link";
import { CandleCacheTable } from "@/components/backtests/candle-cache-table";
import { PageHeader } from "@/components/empty-state";
import { atLeast } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/request";
import { listCachedCandles } from "@/lib/data/backtests";

export const metadata: Metadata = { title: "Cached candles" };

/** Its own page, not a part of the Backtests page: counting a large cache takes a moment, and that page refreshes every second while a job runs. */
export default async function CachedCandlesPage() {
  const session = await requireUser();
  const cached = await listCachedCandles();
  return (
    <>
      <PageHeader title="Cached candles" description="Candles downloaded for backtests and replays are kept, so a run again fetches only what is new. Delete them to free space or to have them downloaded afresh." />
      <p className="mb-4 text-sm">
        <Link className="underline" href="/backtests">
          ← All backtests
        </Link>
      </p>
      <CandleCacheTable rows={cached} canDelete={atLeast(session.user.role, "operator")} />
    </>
  );
}
