/** The sweep grammar and what is named after a sweep's runs (lib/backtest/queue.ts). */
import { describe, expect, it } from "vitest";
import { derivedName, parseSweep, sweepCombinations, sweepNameError, sweepRun, sweptValues } from "@/lib/backtest/queue";

describe("parameter sweeps", () => {
  it("parses a grid into every combination over the base parameters", () => {
    const parsed = parseSweep("fast=5,10, 5; slow = 30,50");
    expect(parsed).toEqual({ ok: true, grid: { fast: ["5", "10"], slow: ["30", "50"] }, runs: 4 });
    const combos = sweepCombinations({ fast: 1, slow: 2, timeframe: "1h" }, (parsed as { grid: Record<string, string[]> }).grid);
    expect(combos).toEqual([
      { fast: "5", slow: "30", timeframe: "1h" },
      { fast: "5", slow: "50", timeframe: "1h" },
      { fast: "10", slow: "30", timeframe: "1h" },
      { fast: "10", slow: "50", timeframe: "1h" },
    ]);
    expect(sweptValues(combos[1]!, { fast: [], slow: [] })).toBe("fast=5 slow=50");
  });

  it("says what is wrong with a grid", () => {
    expect(parseSweep("fast")).toEqual({ ok: false, error: '"fast": write name=value1,value2,…' });
    expect(parseSweep(" ; ")).toEqual({ ok: false, error: "Name at least one parameter to sweep." });
    expect(parseSweep(`a=${Array.from({ length: 15 }, (_, i) => i).join(",")}; b=${Array.from({ length: 14 }, (_, i) => i).join(",")}`)).toEqual({ ok: false, error: "That is 210 runs; at most 200." });
  });

  it("refuses a name that is not one of the strategy's parameters, which would sweep nothing (its runs all the same), and names the ones there are", () => {
    expect(sweepNameError("grid", { levels: ["5", "10"], orderQuote: ["20"] })).toBeNull();
    expect(sweepNameError("grid", { fast: ["5", "10"], levels: ["5", "10"] })).toBe('"fast" is not a parameter of Grid here; sweep any of: lower, upper, levels, orderQuote.');
    expect(sweepNameError("grid", { level: ["5"], quote: ["20"] })).toBe('"level", "quote" are not parameters of Grid here; sweep any of: lower, upper, levels, orderQuote.');
    // sma-cross's timeframe is the candles' (the form's Timeframe field), not a parameter to sweep
    expect(sweepNameError("sma-cross", { timeframe: ["1h", "4h"] })).toBe('"timeframe" is not a parameter of SMA cross here; sweep any of: fast, slow, quoteFraction. The Timeframe field sets the candles: run one backtest for each timeframe.');
  });

  it("finds a run of a finished sweep by its index, and nothing else", () => {
    const report = JSON.stringify({ kind: "sweep", grid: { fast: ["2", "3"] }, results: [{ params: { fast: "2", slow: 8 } }, { params: { fast: "3", slow: 8 } }] });
    expect(sweepRun(report, 1)).toEqual({ params: { fast: "3", slow: 8 }, label: "fast=3" });
    for (const run of [2, -1, 0.5, Number.NaN]) expect(sweepRun(report, run)).toBeNull();
    expect(sweepRun(JSON.stringify({ version: 1, summary: {} }), 0)).toBeNull(); // a single run's report
    expect(sweepRun(null, 0)).toBeNull();
  });

  it("names what is made from a backtest within the 60 characters names may have", () => {
    expect(derivedName("e2e sweep", "fast=3 slow=12 (paper)")).toBe("e2e sweep fast=3 slow=12 (paper)");
    const long = derivedName("x".repeat(60), "fast=3 slow=12 (paper)");
    expect(long).toHaveLength(60);
    expect(long.endsWith(" fast=3 slow=12 (paper)")).toBe(true);
  });
});
