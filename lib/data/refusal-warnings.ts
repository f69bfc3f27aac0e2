/**
 * What the overview says about bots whose orders were refused lately (by their
 * risk limits, or while the exchange's rejection cools down): such a bot runs
 * and looks well everywhere else, but places nothing. Its runner records each
 * reason at most once a minute (lib/bots/runner.ts), as a `risk.refused` event.
 */
import type { Warning } from "./worker-warnings";

export const refusalWindowMs = 60 * 60_000;
const runningStatuses = ["starting", "running", "pausing", "paused"];

/** `refusals`: the window's risk.refused events, newest first. */
export function refusalWarnings(refusals: { botId: string | null; message: string }[], bots: { id: string; name: string; status: string }[]): Warning[] {
  const byBot = new Map<string, { latest: string; count: number }>();
  for (const r of refusals) {
    if (!r.botId) continue;
    const seen = byBot.get(r.botId);
    if (seen) seen.count++;
    else byBot.set(r.botId, { latest: r.message.replace(/^Refused: /, ""), count: 1 });
  }
  return bots
    .filter((b) => byBot.has(b.id) && runningStatuses.includes(b.status))
    .map((b) => {
      const { latest, count } = byBot.get(b.id)!;
      const times = count > 1 ? ` (recorded ${count} times)` : "";
      return { level: "warn", message: `Bot "${b.name}" had orders refused in the last hour${times}; the latest: ${latest}.`, href: `/bots/${b.id}` };
    });
}
