/**
 * A replay's differences as the replay page lists them: one row each, in time
 * order whatever its kind (a worse or better price, a fill the backtest did not
 * make, a signal live did not act on and why).
 */
import { Money } from "../money";
import type { Replay } from "./replay";

export interface DifferenceRow {
  key: string;
  time: number;
  what: string;
  side: string;
  live: string;
  simulated: string;
  /** the slippage against the trader, in quote, for a matched fill */
  cost: string;
}

/** Why live did not act on a signal, when the bot was not running. */
function signalText(botWas: Replay["onlySimulated"][number]["botWas"]): string {
  if (botWas === "unattended") return "a signal while no worker ran the bot";
  if (botWas === "error") return "a signal while the bot was in error";
  return botWas ? `a signal while the bot was ${botWas}` : "a signal live did not act on";
}

export function differenceRows(r: Pick<Replay, "matched" | "onlyLive" | "onlySimulated">): DifferenceRow[] {
  return [
    ...r.matched
      .filter((m) => m.priceDifference !== "0")
      .map((m) => {
        const cost = new Money(m.slippageQuote);
        return { time: m.live.time, what: cost.gt(0) ? "a worse price than assumed" : "a better price than assumed", side: m.live.side, live: m.live.price, simulated: m.simulated.price, cost: cost.toFixed(4, Money.ROUND_HALF_UP) };
      }),
    ...r.onlyLive.map((l) => ({ time: l.time, what: "a fill the backtest did not make", side: l.side, live: l.price, simulated: "—", cost: "—" })),
    ...r.onlySimulated.map((s) => ({ time: s.time, what: `${signalText(s.botWas)} (${s.reason})`, side: s.side, live: "—", simulated: s.price, cost: "—" })),
  ]
    .sort((a, b) => a.time - b.time)
    .map((row, i) => ({ ...row, key: `${row.time}-${i}` }));
}
