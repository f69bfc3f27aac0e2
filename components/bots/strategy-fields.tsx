"use client";

import { useEffect, useRef, useState } from "react";
import { input, useActionFormState } from "@/components/action-form";
import type { ParamField } from "@/lib/strategies/registry";

export interface StrategyOption {
  id: string;
  name: string;
  description: string;
  fields: ParamField[];
}

export function Errors({ name }: { name: string }) {
  const errors = useActionFormState().fieldErrors?.[name];
  return <>{errors?.map((e) => <span key={e} className="mt-1 block text-xs text-red-700 dark:text-red-400">{e}</span>)}</>;
}

/** A strategy picker and the chosen strategy's parameters (generated from its schema), as `strategy` and `param.<name>` fields; `showNames`: each parameter's name under its field (what a sweep names). */
export function StrategyFields({ strategies, initialStrategy, initialParams, showNames = false }: { strategies: StrategyOption[]; initialStrategy?: string; initialParams?: Record<string, unknown>; showNames?: boolean }) {
  const initial = initialStrategy ?? strategies[0]?.id ?? "";
  const [strategyId, setStrategyId] = useState(initial);
  const strategy = strategies.find((s) => s.id === strategyId);
  const select = useRef<HTMLSelectElement>(null);
  // A form reset (the form clears itself after a successful save) puts the picker back on its default
  // option; the parameters shown must follow it, or a DCA picker would sit over SMA fields.
  useEffect(() => {
    const form = select.current?.form;
    if (!form) return;
    const onReset = () => setTimeout(() => setStrategyId(select.current?.value ?? initial)); // after the browser has reset the fields
    form.addEventListener("reset", onReset);
    return () => form.removeEventListener("reset", onReset);
  }, [initial]);
  const initialValue = (name: string, fallback?: string) => (initialParams && initialStrategy === strategyId && initialParams[name] !== undefined ? String(initialParams[name]) : fallback);
  return (
    <>
      <div className="flex min-w-56 flex-col text-sm">
        <label htmlFor="bot-strategy">Strategy</label>
        <select ref={select} id="bot-strategy" name="strategy" defaultValue={initial} onChange={(e) => setStrategyId(e.target.value)} className={input}>
          {strategies.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <Errors name="strategy" />
      </div>
      {strategy && (
        <fieldset className="flex w-full flex-wrap gap-3" key={strategy.id}>
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
              {showNames && (
                <span data-testid="param-name" className="mt-1 text-xs text-zinc-500">
                  name: <code>{p.name}</code>
                </span>
              )}
              <Errors name={`param.${p.name}`} />
            </div>
          ))}
        </fieldset>
      )}
    </>
  );
}
