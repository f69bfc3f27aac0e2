/** The report's shape, for pages that show it (no engine code). */
import type { Summary } from "./stats";

export type { Report, RoundTrip } from "./engine";
export type { SimFill } from "./simulated-exchange";
export type { Summary };

/** A parameter sweep's report: the grid and every run's parameters and statistics (written by ./jobs.ts). */
export interface SweepReport {
  kind: "sweep";
  grid: Record<string, string[]>;
  results: { params: Record<string, unknown>; summary: Summary }[];
}
