import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/empty-state";

export const metadata: Metadata = { title: "Audit" };

export default function AuditPage() {
  return (
    <>
      <PageHeader title="Audit" description="Who did what to which key or bot, from where. Append-only and hash-chained." />
      <EmptyState title="No audit entries yet">Logins, key and bot changes and vault operations will be recorded here once accounts exist.</EmptyState>
    </>
  );
}
