"use client";

import { Field, input } from "@/components/action-form";
import type { BacktestLimits } from "@/lib/backtest/types";
import { Errors, StrategyFields, type StrategyOption } from "./strategy-fields";

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
  /** a new bot's fields filled in (e.g. from a backtest: its balance as the paper balance, the risk limits it was given) */
  prefill?: { name: string; symbol: string; strategy: string; params: Record<string, unknown>; paperStartQuote?: string; limits?: BacktestLimits };
}

/** The bot form: the parameters shown are those of the chosen strategy (generated from its schema). */
export function BotFields({ keys, strategies, initial, prefill }: BotFieldsProps) {
  const limits = prefill?.limits;
  return (
    <div className="flex w-full flex-col gap-3">
      {initial && <input type="hidden" name="id" value={initial.id} />}
      <div className="flex flex-wrap gap-3">
        <Field name="name" label="Name" required defaultValue={initial?.name ?? prefill?.name} />
        <div className="flex min-w-56 flex-col text-sm">
          <label htmlFor="bot-key">Key</label>
          <select id="bot-key" name="keyId" defaultValue={initial?.keyId ?? keys[0]?.id} className={input} required>
            {keys.map((k) => (
              <option key={k.id} value={k.id}>
                {k.label} ({k.exchange === "demo" ? "Demo" : k.exchange}, {k.maskedKeyId})
              </option>
            ))}
          </select>
          <Errors name="keyId" />
        </div>
        <Field name="symbol" label="Symbol" required defaultValue={initial?.symbol ?? prefill?.symbol ?? "BTC/USDT"} />
      </div>
      <StrategyFields strategies={strategies} initialStrategy={(initial ?? prefill)?.strategy} initialParams={(initial ?? prefill)?.params} />
      <fieldset className="flex flex-wrap gap-3">
        <legend className="mb-1 text-sm font-medium">Risk limits</legend>
        <Field name="maxOrderNotional" label="Max order notional (quote)" required defaultValue={initial?.maxOrderNotional ?? limits?.maxOrderNotional ?? "100"} />
        <Field name="maxDailyLoss" label="Max daily loss (quote)" required defaultValue={initial?.maxDailyLoss ?? limits?.maxDailyLoss ?? "50"} />
        <Field name="maxOpenOrders" label="Max open orders" required defaultValue={String(initial?.maxOpenOrders ?? limits?.maxOpenOrders ?? 5)} />
        <Field name="maxPosition" label="Max position (base, optional)" defaultValue={initial?.maxPosition ?? limits?.maxPosition ?? ""} />
      </fieldset>
      <fieldset className="flex flex-wrap items-end gap-4 text-sm">
        <legend className="mb-1 font-medium">Running</legend>
        <Field name="tickSeconds" label="Tick (seconds)" required defaultValue={String(initial?.tickSeconds ?? 5)} />
        <Field name="paperStartQuote" label="Paper balance (quote)" defaultValue={initial?.paperStartQuote ?? prefill?.paperStartQuote ?? "10000"} />
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
