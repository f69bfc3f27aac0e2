import { z } from "zod";
import { dca } from "./dca";
import type { Strategy } from "./types";

export const strategies: Record<string, Strategy> = { dca: dca as unknown as Strategy };

export interface ParamField {
  name: string;
  type: "string" | "number";
  description: string;
  default?: string;
  required: boolean;
}

type JsonProp = { type?: string; anyOf?: { type?: string }[]; description?: string };

/** The form for a strategy's params, generated from its zod schema (via JSON Schema; defaults by parsing nothing). */
export function paramFields(strategyId: string): ParamField[] {
  const s = strategies[strategyId];
  if (!s) return [];
  const json = z.toJSONSchema(s.params, { io: "input" }) as { properties?: Record<string, JsonProp>; required?: string[] };
  const shape = (s.params as unknown as z.ZodObject).shape as Record<string, z.ZodType>;
  return Object.entries(json.properties ?? {}).map(([name, p]) => {
    const types = [p.type, ...(p.anyOf ?? []).map((a) => a.type)];
    const fallback = shape[name]?.safeParse(undefined);
    const value = fallback?.success ? fallback.data : undefined;
    return {
      name,
      type: types.includes("number") || types.includes("integer") ? "number" : "string",
      description: p.description ?? name,
      default: value === undefined ? undefined : String(value),
      required: !fallback?.success,
    };
  });
}

export function parseParams(strategyId: string, raw: Record<string, unknown>): { ok: true; params: Record<string, unknown> } | { ok: false; errors: Record<string, string[]> } {
  const s = strategies[strategyId];
  if (!s) return { ok: false, errors: { strategy: ["Unknown strategy."] } };
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "" && v !== undefined));
  const r = s.params.safeParse(cleaned);
  if (!r.success) return { ok: false, errors: Object.fromEntries(Object.entries(z.flattenError(r.error).fieldErrors).map(([k, v]) => [`param.${k}`, v as string[]])) };
  return { ok: true, params: r.data as Record<string, unknown> };
}
