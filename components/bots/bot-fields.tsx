"use client";

import { Field, input, useActionFormState } from "@/components/action-form";
import type { ParamField } from "@/lib/strategies/registry";

export interface BotFieldsProps {
  keys: { id: string; label: string; exchange: string; maskedKeyId: string }[];
  params: ParamField[];
  initial?: { id: string; name: string; keyId: string | null; symbol: string; mode: string; maxOrderNotional: string; maxDailyLoss: string; maxOpenOrders: number; params: Record<string, unknown> };
}

function Errors({ name }: { name: string }) {
  const errors = useActionFormState().fieldErrors?.[name];
  return <>{errors?.map((e) => <span key={e} className="mt-1 block text-xs text-red-700 dark:text-red-400">{e}</span>)}</>;
}

export function BotFields({ keys, params, initial }: BotFieldsProps) {
  return (
    <div className="flex w-full flex-col gap-3">
      {initial && <input type="hidden" name="id" value={initial.id} />}
      <div className="flex flex-wrap gap-3">
        <Field name="name" label="Name" required defaultValue={initial?.name} />
        <div className="flex min-w-56 flex-col text-sm">
          <label htmlFor="bot-key">Key</label>
          <select id="bot-key" name="keyId" defaultValue={initial?.keyId ?? keys[0]?.id} className={input} required>
            {keys.map((k) => (
              <option key={k.id} value={k.id}>
                {k.label} ({k.exchange === "demo" ? "Demo" : k.exchange}, …{k.maskedKeyId})
              </option>
            ))}
          </select>
          <Errors name="keyId" />
        </div>
        <Field name="symbol" label="Symbol" required defaultValue={initial?.symbol ?? "BTC/USDT"} />
        <input type="hidden" name="strategy" value="dca" />
      </div>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1 text-sm font-medium">Strategy: DCA</legend>
        {params.map((p) => (
          <div key={p.name} className="flex min-w-56 flex-col text-sm">
            <label htmlFor={`param-${p.name}`}>{p.description}</label>
            <input id={`param-${p.name}`} name={`param.${p.name}`} inputMode={p.type === "number" ? "numeric" : "decimal"} defaultValue={initial ? String(initial.params[p.name] ?? "") : p.default} required={p.required} className={input} />
            <Errors name={`param.${p.name}`} />
          </div>
        ))}
      </fieldset>
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1 text-sm font-medium">Risk limits</legend>
        <Field name="maxOrderNotional" label="Max order notional (quote)" required defaultValue={initial?.maxOrderNotional ?? "100"} />
        <Field name="maxDailyLoss" label="Max daily loss (quote)" required defaultValue={initial?.maxDailyLoss ?? "50"} />
        <Field name="maxOpenOrders" label="Max open orders" required defaultValue={String(initial?.maxOpenOrders ?? 5)} />
      </fieldset>
      <fieldset className="flex gap-4 text-sm">
        <legend className="mb-1 font-medium">Mode</legend>
        <label className="flex items-center gap-1">
          <input type="radio" name="mode" value="paper" defaultChecked={(initial?.mode ?? "paper") === "paper"} /> paper
        </label>
        <label className="flex items-center gap-1">
          <input type="radio" name="mode" value="live" defaultChecked={initial?.mode === "live"} /> live (real orders)
        </label>
      </fieldset>
    </div>
  );
}
