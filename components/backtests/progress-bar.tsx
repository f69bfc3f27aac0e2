/** A job's progress: a bar with its percentage, readable by screen readers. */
export function ProgressBar({ value, label }: { value: number; label: string }) {
  return (
    <div className="w-full min-w-32">
      <div role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={value} aria-label={label} className="h-2 w-full overflow-hidden rounded bg-zinc-200 dark:bg-zinc-800">
        <div className="h-2 bg-emerald-600 transition-all" style={{ width: `${value}%` }} />
      </div>
      <span className="text-xs text-zinc-500">{value}%</span>
    </div>
  );
}
