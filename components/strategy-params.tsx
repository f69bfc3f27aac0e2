import { paramFields } from "@/lib/strategies/registry";

/** A strategy's parameters, each under the label its form gives it (a bot's page, a backtest's report). */
export function ParamList({ strategy, params, testId, className }: { strategy: string; params: Record<string, unknown>; testId: string; className?: string }) {
  const labels: Record<string, string> = Object.fromEntries(paramFields(strategy).map((f) => [f.name, f.description]));
  const entries = Object.entries(params);
  return (
    <dd data-testid={testId} className={className}>
      {entries.length === 0
        ? "—"
        : entries.map(([name, value]) => (
            <div key={name}>
              <span className="text-zinc-500">{labels[name] ?? name}:</span> <span className="tabular-nums">{String(value)}</span>
            </div>
          ))}
    </dd>
  );
}
