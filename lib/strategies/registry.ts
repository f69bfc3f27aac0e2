/** Every strategy Keyward offers, their forms and their parameter checks. */
import { z } from "zod";
import { dca } from "./dca";
import { grid } from "./grid";
import { marketMaker } from "./market-maker";
import { smaCross } from "./sma-cross";
import type { Strategy } from "./types";

export const strategies: Record<string, Strategy> = Object.fromEntries([dca, grid, smaCross, marketMaker].map((s) => [s.id, s as unknown as Strategy]));
export const strategyIds = Object.keys(strategies) as [string, ...string[]];

/** A strategy's parameter schemas by name (every strategy's params are a zod object). */
const shapeOf = (s: Strategy) => (s.params as unknown as z.ZodObject).shape as Record<string, z.ZodType>;

export interface ParamField {
  name: string;
  type: "string" | "number" | "choice";
  description: string;
  default?: string;
  required: boolean;
  options?: string[];
}

type JsonProp = { type?: string; anyOf?: { type?: string }[]; enum?: string[]; description?: string };

/** The parameters' JSON Schema (what the form and GET /api/v1/strategies show). */
export function paramsJsonSchema(strategyId: string): Record<string, unknown> {
  return z.toJSONSchema(strategies[strategyId]!.params, { io: "input" }) as Record<string, unknown>;
}

/** The form for a strategy's params, generated from its zod schema (via JSON Schema; defaults by parsing nothing). */
export function paramFields(strategyId: string): ParamField[] {
  const s = strategies[strategyId];
  if (!s) return [];
  const json = paramsJsonSchema(strategyId) as { properties?: Record<string, JsonProp> };
  const shape = shapeOf(s);
  return Object.entries(json.properties ?? {}).map(([name, p]) => {
    const types = [p.type, ...(p.anyOf ?? []).map((a) => a.type)];
    const fallback = shape[name]?.safeParse(undefined);
    const value = fallback?.success ? fallback.data : undefined;
    return {
      name,
      type: p.enum ? "choice" : types.includes("number") || types.includes("integer") ? "number" : "string",
      description: p.description ?? name,
      default: value === undefined ? undefined : String(value),
      required: !fallback?.success,
      ...(p.enum ? { options: p.enum } : {}),
    };
  });
}

export function parseParams(strategyId: string, raw: Record<string, unknown>): { ok: true; params: Record<string, unknown> } | { ok: false; errors: Record<string, string[]> } {
  const s = strategies[strategyId];
  if (!s) return { ok: false, errors: { strategy: ["Unknown strategy."] } };
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "" && v !== undefined));
  // zod would drop a name it does not know, and a misspelt parameter would silently keep its default
  const names = Object.keys(shapeOf(s));
  const unknown = Object.keys(cleaned).filter((k) => !names.includes(k));
  if (unknown.length) return { ok: false, errors: Object.fromEntries(unknown.map((k) => [`param.${k}`, [`Not a parameter of ${s.name}; its parameters are ${names.join(", ")}.`]])) };
  const r = s.params.safeParse(cleaned);
  if (!r.success) return { ok: false, errors: Object.fromEntries(Object.entries(z.flattenError(r.error).fieldErrors).map(([k, v]) => [`param.${k}`, v as string[]])) };
  return { ok: true, params: r.data as Record<string, unknown> };
}

/**
 * A strategy's parameters for a backtest over candles of `timeframe`. A strategy with a `timeframe`
 * parameter (sma-cross) reads its candles in that timeframe, so in a backtest it is the candles':
 * set from them, and a different one given is refused rather than silently replaced.
 */
export function parseBacktestParams(strategyId: string, raw: Record<string, unknown>, timeframe: string): ReturnType<typeof parseParams> {
  if (!hasCandleTimeframe(strategyId)) return parseParams(strategyId, raw);
  const given = raw.timeframe;
  if (given !== undefined && given !== "" && given !== timeframe) {
    return { ok: false, errors: { "param.timeframe": [`The candles are ${timeframe}, and ${strategies[strategyId]!.name} reads its candles in its timeframe: leave timeframe out, or run the backtest on ${String(given)} candles.`] } };
  }
  return parseParams(strategyId, { ...raw, timeframe });
}

/** Whether the strategy's candles' timeframe is one of its parameters (in a backtest, the candles' timeframe sets it). */
function hasCandleTimeframe(strategyId: string): boolean {
  const s = strategies[strategyId];
  return !!s && "timeframe" in shapeOf(s);
}
