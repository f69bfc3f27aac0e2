/** Labelled figures in a grid (a report's statistics, a replay's totals). */
export function StatGrid({ items, testId }: { items: readonly (readonly [string, string | number])[]; testId: string }) {
  return (
    <dl data-testid={testId} className="grid grid-cols-2 gap-x-6 gap-y-1 text-sm sm:grid-cols-4">
      {items.map(([k, v]) => (
        <div key={k}>
          <dt className="text-zinc-500">{k}</dt>
          <dd className="font-medium tabular-nums">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
