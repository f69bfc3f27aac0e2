"use client";

/** The add-key form's fields: exchange picker (searchable), the credential fields that exchange needs, and the withdraw override when asked for. */
import { useId, useState } from "react";
import { Field, input, useActionFormState } from "@/components/action-form";

export interface ExchangeOptionProps {
  id: string;
  name: string;
  fields: { name: string; label: string; multiline: boolean }[];
  reportsScopes: boolean;
}

export function AddKeyFields({ exchanges, initialExchange = "demo" }: { exchanges: ExchangeOptionProps[]; initialExchange?: string }) {
  const [exchange, setExchange] = useState(initialExchange);
  const state = useActionFormState();
  const listId = useId();
  const chosen = exchanges.find((e) => e.id === exchange);
  return (
    <div className="flex w-full flex-col gap-3">
      <div className="flex flex-wrap gap-3">
        <div className="flex min-w-56 flex-col text-sm">
          <label htmlFor={`${listId}-x`}>Exchange</label>
          <input id={`${listId}-x`} name="exchange" list={listId} value={exchange} onChange={(e) => setExchange(e.target.value.trim())} className={input} autoComplete="off" required />
          <datalist id={listId}>
            {exchanges.map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </datalist>
          {!chosen && exchange && <span className="mt-1 text-xs text-red-700 dark:text-red-400">Not a supported exchange: pick one from the list.</span>}
        </div>
        <Field name="label" label="Label" required placeholder="e.g. dca-bot key" />
      </div>
      <div className="flex flex-wrap gap-3">
        {(chosen?.fields ?? []).map((f) =>
          f.multiline ? (
            <div key={f.name} className="flex min-w-96 flex-col text-sm">
              <label htmlFor={`${listId}-${f.name}`}>{f.label}</label>
              <textarea id={`${listId}-${f.name}`} name={f.name} rows={5} className={`${input} font-mono`} required autoComplete="off" spellCheck={false} />
            </div>
          ) : (
            <Field key={f.name} name={f.name} label={f.label} type={f.name === "apiKey" ? "text" : "password"} autoComplete="off" required />
          ),
        )}
      </div>
      {chosen && !chosen.reportsScopes && (
        <fieldset className="rounded-md border border-amber-400 p-3 text-sm">
          <legend className="px-1 font-medium">Declare this key&apos;s permissions</legend>
          <p className="mb-2 text-xs">{chosen.name} cannot report what a key may do. Keyward will show what you declare here, marked &quot;declared, unverified&quot;.</p>
          <input type="hidden" name="declare" value="on" />
          <div className="flex flex-wrap gap-3">
            {[["declaredRead", "read", true], ["declaredTrade", "trade", true], ["declaredWithdraw", "withdraw", false], ["declaredIpRestricted", "IP-restricted", false]].map(([name, label, on]) => (
              <label key={name as string} className="flex items-center gap-1">
                <input type="checkbox" name={name as string} defaultChecked={on as boolean} /> {label as string}
              </label>
            ))}
          </div>
        </fieldset>
      )}
      {state.danger && <Field name="acceptWithdrawRisk" label="To accept the risk anyway, type the key's label" autoComplete="off" />}
    </div>
  );
}
