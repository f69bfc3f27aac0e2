import { When } from "@/components/format";

const tone: Record<string, string> = {
  running: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  starting: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  pausing: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  paused: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  stopping: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  error: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  stopped: "bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200",
};

export interface BotStatusProps {
  status: string;
  statusMessage: string | null;
  statusSince: string;
  lastError: string | null;
  lastErrorAt: string | null;
  workerId?: string | null;
}

/** Statuses of a bot started, resumed, paused or stopped since: an error older than its status is history (a bot stopped by an error is in `error`). */
const movedOn = new Set(["starting", "running", "pausing", "paused", "stopped"]);

/** A bot's status, what it says, since when, and its last error (muted once the bot was started, resumed or stopped after it). */
export function BotStatus({ status, statusMessage, statusSince, lastError, lastErrorAt, workerId }: BotStatusProps) {
  const past = movedOn.has(status) && lastErrorAt !== null && new Date(lastErrorAt) < new Date(statusSince);
  return (
    <div data-testid="bot-status" data-status={status} className="space-y-1">
      <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ${tone[status] ?? tone.stopped}`}>{status}</span>
      <span className="ml-2 text-xs text-zinc-500">
        since <When at={new Date(statusSince)} />
        {workerId ? ` · worker ${workerId}` : ""}
      </span>
      {statusMessage && <p className="text-xs">{statusMessage}</p>}
      {lastError && lastError !== statusMessage && (
        <p className={`text-xs ${past ? "text-zinc-500" : "text-red-700 dark:text-red-400"}`} data-testid="bot-last-error">
          {past ? "Earlier error" : "Last error"} (<When at={lastErrorAt ? new Date(lastErrorAt) : null} />): {lastError}
        </p>
      )}
    </div>
  );
}
