/** The report's shape, for pages that show it (no engine code). */
export type { Report, RoundTrip } from "./engine";
export type { Summary } from "./stats";
export type { SimFill } from "./simulated-exchange";
