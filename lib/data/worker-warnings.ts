/** What the overview says about workers: a silent one (with or without bots still on it), and none at all while bots want one. */

export interface Warning {
  level: "error" | "warn";
  message: string;
  href: string;
}

export interface WorkerRow {
  workerId: string;
  host: string;
  /** active bots it holds */
  bots: number;
  heartbeatAgeMs: number;
  stale: boolean;
}

export function workerWarnings(workers: WorkerRow[], wantsWorker: boolean): Warning[] {
  const silent = workers.filter((w) => w.stale).map((w): Warning => {
    const what = `Worker ${w.workerId} on ${w.host} has not sent a heartbeat for ${Math.round(w.heartbeatAgeMs / 1000)} s`;
    // once another worker has taken its bots nothing waits on it; its row is forgotten ten minutes after its last beat (lib/bots/heartbeat.ts)
    return w.bots > 0
      ? { level: "error", message: `${what}: its ${w.bots} bot(s) move to another worker once their leases expire.`, href: "/" }
      : { level: "warn", message: `${what}; it runs no bot now. Check its process and log; it leaves this list ten minutes after its last heartbeat.`, href: "/" };
  });
  const none = wantsWorker && !workers.some((w) => !w.stale);
  return none ? [...silent, { level: "error", message: "No worker is running, so no bot trades. Start Keyward with npm start, or run npm run worker.", href: "/" }] : silent;
}
