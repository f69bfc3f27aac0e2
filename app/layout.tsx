import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Nav } from "@/components/nav";
import { UserMenu } from "@/components/user-menu";
import { PasswordOnlyBanner, WarningBanner } from "@/components/warning-banner";
import { currentSession } from "@/lib/auth/request";
import { activeKeyWarnings } from "@/lib/data/list-keys";
import { passwordOnlyExposure } from "@/lib/data/my-second-factors";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Keyward", template: "%s · Keyward" },
  description: "Encrypted exchange keys and supervised trading bots, self-hosted.",
  manifest: "/manifest.webmanifest",
  icons: { icon: "/icon.svg" },
};

export const viewport: Viewport = {
  themeColor: [
    { media: "(prefers-color-scheme: light)", color: "#ffffff" },
    { media: "(prefers-color-scheme: dark)", color: "#18181b" },
  ],
};

export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  const session = await currentSession();
  const warnings = session ? await activeKeyWarnings() : null;
  const exposure = session ? await passwordOnlyExposure() : null;
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <div className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
          <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-6 px-4 py-3">
            <span className="text-lg font-semibold tracking-tight">Keyward</span>
            {session && (
              <>
                <Nav />
                <UserMenu email={session.user.email} role={session.user.role} />
              </>
            )}
          </div>
        </div>
        {warnings && <WarningBanner {...warnings} />}
        {exposure && <PasswordOnlyBanner {...exposure} />}
        <main className="mx-auto max-w-6xl px-4 py-8">{children}</main>
      </body>
    </html>
  );
}
