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

/** The form for a strategy's params, generated from its zod schema (via JSON Schema). */
export function paramFields(strategyId: string): ParamField[] {
  const s = strategies[strategyId];
  if (!s) return [];
  const json = z.toJSONSchema(s.params, { io: "input" }) as { properties?: Record<string, { type?: string; description?: string; default?: unknown }>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, p]) => ({
    name,
    type: p.type === "number" || p.type === "integer" ? "number" : "string",
    description: p.description ?? name,
    default: p.default === undefined ? undefined : String(p.default),
    required: (json.required ?? []).includes(name) && p.default === undefined,
  }));
}

export function parseParams(strategyId: string, raw: Record<string, unknown>): { ok: true; params: Record<string, unknown> } | { ok: false; errors: Record<string, string[]> } {
  const s = strategies[strategyId];
  if (!s) return { ok: false, errors: { strategy: ["Unknown strategy."] } };
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "" && v !== undefined));
  const r = s.params.safeParse(cleaned);
  if (!r.success) return { ok: false, errors: Object.fromEntries(Object.entries(z.flattenError(r.error).fieldErrors).map(([k, v]) => [`param.${k}`, v as string[]])) };
  return { ok: true, params: r.data as Record<string, unknown> };
}
