import type { ReactNode } from "react";

export function PageHeader({ title, description }: { title: string; description: string }) {
  return (
    <header className="mb-6">
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</p>
    </header>
  );
}

export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="rounded-lg border border-dashed border-zinc-300 p-8 text-center dark:border-zinc-700">
      <h2 className="text-base font-medium">{title}</h2>
      <div className="mx-auto mt-2 max-w-prose text-sm text-zinc-600 dark:text-zinc-400">{children}</div>
    </section>
  );
}

/** A placeholder while a part of a page loads on its own (e.g. from a slow exchange). */
export function Loading({ what, className = "h-32" }: { what: string; className?: string }) {
  return (
    <div role="status" aria-live="polite" className={`mt-8 animate-pulse rounded-lg bg-zinc-100 p-4 text-sm text-zinc-500 dark:bg-zinc-900 ${className}`}>
      Loading {what}…
    </div>
  );
}
