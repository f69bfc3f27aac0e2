import type { ReactNode } from "react";
import { PageHeader } from "@/components/empty-state";
import { SettingsNav } from "@/components/settings-nav";
import { requireUser } from "@/lib/auth/request";

export default async function SettingsLayout({ children }: { children: ReactNode }) {
  const s = await requireUser();
  return (
    <>
      <PageHeader title="Settings" description="Your account, sessions, API tokens, users, alerts and the vault." />
      <SettingsNav isOwner={s.user.role === "owner"} />
      {children}
    </>
  );
}
