"use client";

/** Unexpected errors: a generic message and an id; details stay in the server log (SECURITY.md 19). */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section role="alert" className="mx-auto max-w-lg rounded-lg border border-red-300 p-6 dark:border-red-800">
      <h1 className="text-lg font-semibold">Something went wrong</h1>
      <p className="mt-2 text-sm">
        Nothing you entered was shown to anyone. Quote error id <code data-testid="error-id">{error.digest ?? "unknown"}</code> when you look in the server log or report it.
      </p>
      <button onClick={reset} className="mt-4 rounded-md bg-zinc-900 px-4 py-1.5 text-sm text-white dark:bg-zinc-100 dark:text-zinc-900">
        Try again
      </button>
    </section>
  );
}
