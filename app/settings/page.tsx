import type { Metadata } from "next";
import { EmptyState, PageHeader } from "@/components/empty-state";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Users, sessions, API tokens and the vault." />
      <EmptyState title="Nothing to configure yet">Accounts, sessions, API tokens and vault status will be managed here. Server configuration is read from environment variables (see .env.example).</EmptyState>
    </>
  );
}
