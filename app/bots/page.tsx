import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { requireUser } from "@/lib/auth/request";

export const metadata: Metadata = { title: "Bots" };

export default async function BotsPage() {
  await requireUser();
  return (
    <>
      <PageHeader title="Bots" description="Server-side bots, each trading with its own key." />
      <EmptyState title="No bots yet">A bot needs a free exchange key, a symbol, a strategy and risk limits. Bot management arrives once keys can be added.</EmptyState>
    </>
  );
}
