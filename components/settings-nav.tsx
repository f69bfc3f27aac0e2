"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

export function SettingsNav({ isOwner }: { isOwner: boolean }) {
  const pathname = usePathname();
  const items = [
    { href: "/settings", label: "Account" },
    { href: "/settings/security", label: "Two-factor" },
    { href: "/settings/sessions", label: "Sessions" },
    { href: "/settings/tokens", label: "API tokens" },
    ...(isOwner ? [{ href: "/settings/users", label: "Users" }, { href: "/settings/alerts", label: "Alerts" }] : []),
    { href: "/settings/vault", label: "Vault" },
  ];
  return (
    <nav aria-label="Settings" className="mb-6 flex flex-wrap gap-1 border-b border-zinc-200 pb-2 dark:border-zinc-800">
      {items.map((i) => (
        <Link key={i.href} href={i.href} aria-current={pathname === i.href ? "page" : undefined} className={`rounded px-3 py-1 text-sm ${pathname === i.href ? "bg-zinc-200 font-medium dark:bg-zinc-800" : "text-zinc-600 dark:text-zinc-400"}`}>
          {i.label}
        </Link>
      ))}
    </nav>
  );
}
