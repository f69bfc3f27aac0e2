"use client";

import { useState } from "react";
import { Field, input, useActionFormState } from "@/components/action-form";
import type { ParamField } from "@/lib/strategies/registry";

export interface StrategyOption {
  id: string;
  name: string;
  description: string;
  fields: ParamField[];
}

export interface BotFieldsProps {
  keys: { id: string; label: string; exchange: string; maskedKeyId: string }[];
  strategies: StrategyOption[];
  initial?: {
    id: string;
    name: string;
    keyId: string | null;
    symbol: string;
    strategy: string;
    mode: string;
    tickSeconds: number;
    maxOrderNotional: string;
    maxDailyLoss: string;
    maxOpenOrders: number;
    maxPosition: string | null;
    paperStartQuote: string;
    params: Record<string, unknown>;
  };
}

function Errors({ name }: { name: string }) {
  const errors = useActionFormState().fieldErrors?.[name];
  return <>{errors?.map((e) => <span key={e} className="mt-1 block text-xs text-red-700 dark:text-red-400">{e}</span>)}</>;
}

/** The bot form: the parameters shown are those of the chosen strategy (generated from its schema). */
export function BotFields({ keys, strategies, initial }: BotFieldsProps) {
  const [strategyId, setStrategyId] = useState(initial?.strategy ?? strategies[0]?.id ?? "");
  const strategy = strategies.find((s) => s.id === strategyId);
  const initialValue = (name: string, fallback?: string) => (initial && initial.strategy === strategyId ? String(initial.params[name] ?? "") : fallback);
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
        <div className="flex min-w-56 flex-col text-sm">
          <label htmlFor="bot-strategy">Strategy</label>
          <select id="bot-strategy" name="strategy" value={strategyId} onChange={(e) => setStrategyId(e.target.value)} className={input}>
            {strategies.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
          <Errors name="strategy" />
        </div>
      </div>
      {strategy && (
        <fieldset className="flex flex-wrap gap-3" key={strategy.id}>
          <legend className="mb-1 text-sm font-medium">
            {strategy.name} <span className="font-normal text-zinc-500">— {strategy.description}</span>
          </legend>
          {strategy.fields.map((p) => (
            <div key={p.name} className="flex min-w-56 flex-col text-sm">
              <label htmlFor={`param-${p.name}`}>{p.description}</label>
              {p.type === "choice" ? (
                <select id={`param-${p.name}`} name={`param.${p.name}`} defaultValue={initialValue(p.name, p.default)} className={input}>
                  {p.options!.map((o) => (
                    <option key={o}>{o}</option>
                  ))}
                </select>
              ) : (
                <input id={`param-${p.name}`} name={`param.${p.name}`} inputMode={p.type === "number" ? "numeric" : "decimal"} defaultValue={initialValue(p.name, p.default)} required={p.required} className={input} />
              )}
              <Errors name={`param.${p.name}`} />
            </div>
          ))}
        </fieldset>
      )}
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1 text-sm font-medium">Risk limits</legend>
        <Field name="maxOrderNotional" label="Max order notional (quote)" required defaultValue={initial?.maxOrderNotional ?? "100"} />
        <Field name="maxDailyLoss" label="Max daily loss (quote)" required defaultValue={initial?.maxDailyLoss ?? "50"} />
        <Field name="maxOpenOrders" label="Max open orders" required defaultValue={String(initial?.maxOpenOrders ?? 5)} />
        <Field name="maxPosition" label="Max position (base, optional)" defaultValue={initial?.maxPosition ?? ""} />
      </fieldset>
      <fieldset className="flex flex-wrap items-end gap-4 text-sm">
        <legend className="mb-1 font-medium">Running</legend>
        <Field name="tickSeconds" label="Tick (seconds)" required defaultValue={String(initial?.tickSeconds ?? 5)} />
        <Field name="paperStartQuote" label="Paper balance (quote)" defaultValue={initial?.paperStartQuote ?? "10000"} />
        <div className="flex gap-4 pb-2">
          <label className="flex items-center gap-1">
            <input type="radio" name="mode" value="paper" defaultChecked={(initial?.mode ?? "paper") === "paper"} /> paper
          </label>
          <label className="flex items-center gap-1">
            <input type="radio" name="mode" value="live" defaultChecked={initial?.mode === "live"} /> live (real orders)
          </label>
        </div>
      </fieldset>
    </div>
  );
}
