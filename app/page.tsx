import { EmptyState, PageHeader } from "@/components/empty-state";
import { requireUser } from "@/lib/auth/request";

export default async function OverviewPage() {
  await requireUser();
  return (
    <>
      <PageHeader title="Overview" description="Your keys, bots and warnings at a glance." />
      <EmptyState title="Nothing to watch yet">
        Add an exchange key on the <a className="underline" href="/keys">Keys</a> page, then create a bot that trades with it. Balances, open orders
        and profit and loss will show here once a bot runs.
      </EmptyState>
    </>
  );
}
