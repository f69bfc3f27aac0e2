/** The replay page's list of differences (lib/backtest/replay-differences.ts). */
import { describe, expect, it } from "vitest";
import { differenceRows } from "@/lib/backtest/replay-differences";

const live = (time: number, side: "buy" | "sell", price: string) => ({ time, side, price, amount: "1", feeQuote: "0.01" });

describe("issue 11: the replay names each difference, in time order whatever its kind", () => {
  it("merges worse and better prices, fills the backtest did not make and missed signals by time, and leaves out fills at the same price", () => {
    const rows = differenceRows({
      matched: [
        { live: live(5_000, "buy", "1.02"), simulated: { time: 4_000, side: "buy", price: "1.01", amount: "1" }, priceDifference: "0.01", slippageQuote: "0.01" },
        { live: live(1_000, "sell", "1.05"), simulated: { time: 1_000, side: "sell", price: "1.04", amount: "1" }, priceDifference: "-0.01", slippageQuote: "-0.01" },
        { live: live(2_000, "buy", "1.00"), simulated: { time: 2_000, side: "buy", price: "1.00", amount: "1" }, priceDifference: "0", slippageQuote: "0" },
      ],
      onlyLive: [live(3_000, "buy", "1.03")],
      onlySimulated: [
        { time: 4_500, side: "sell", price: "1.10", amount: "1", reason: "SMA 3 crossed below SMA 12", botWas: "unattended" },
        { time: 500, side: "buy", price: "0.99", amount: "1", reason: "DCA buy of 20", botWas: null },
      ],
    });
    expect(rows.map((r) => [r.time, r.what, r.live, r.simulated, r.cost])).toEqual([
      [500, "a signal live did not act on (DCA buy of 20)", "—", "0.99", "—"],
      [1_000, "a better price than assumed", "1.05", "1.04", "-0.0100"],
      [3_000, "a fill the backtest did not make", "1.03", "—", "—"],
      [4_500, "a signal while no worker ran the bot (SMA 3 crossed below SMA 12)", "—", "1.10", "—"],
      [5_000, "a worse price than assumed", "1.02", "1.01", "0.0100"],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });
});
