import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/empty-state";
import { requireUser } from "@/lib/auth/request";

export const metadata: Metadata = { title: "Keys" };

export default async function KeysPage() {
  await requireUser();
  return (
    <>
      <PageHeader title="Keys" description="Exchange API keys, stored encrypted. One key per bot." />
      <EmptyState title="No keys yet">Adding a key will verify it with the exchange, show what it is allowed to do (read, trade, withdraw), and warn when it can withdraw or is not IP-restricted. Key management arrives with the accounts and vault work.</EmptyState>
    </>
  );
}
