import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { requireUser } from "@/lib/auth/request";

export const metadata: Metadata = { title: "Backtests" };

export default async function BacktestsPage() {
  await requireUser();
  return (
    <>
      <PageHeader title="Backtests" description="Try a strategy on historical candles before it gets a real key." />
      <EmptyState title="No backtests yet">Backtesting is not built yet. It will run the same strategy code as live bots against recorded market data.</EmptyState>
    </>
  );
}
