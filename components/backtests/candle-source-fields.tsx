"use client";

/**
 * Where a backtest's candles come from: the exchange's history (exchange id
 * and days) or CSV candles, pasted or read from a file in the browser (the
 * form sends the text; at most 1 MB, the CLI takes larger files). Only the
 * chosen source's fields show.
 */
import { useId, useState, type ChangeEvent } from "react";
import { Field, input, useActionFormState } from "@/components/action-form";
import { maxCsvChars } from "@/lib/backtest/csv";

export function CandleSourceFields() {
  const state = useActionFormState();
  const [source, setSource] = useState<"exchange" | "csv">("exchange");
  const [csv, setCsv] = useState("");
  const [fileError, setFileError] = useState<string | null>(null);
  const id = useId();
  const csvErrors = [...(fileError ? [fileError] : []), ...(state.fieldErrors?.csv ?? [])];

  async function readFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    setFileError(null);
    if (!file) return;
    if (file.size > maxCsvChars) {
      setFileError(`${file.name} is ${(file.size / 1e6).toFixed(1)} MB; the form takes at most 1 MB. Use the CLI for it: npm run -s keyward -- backtest --csv ${file.name} …`);
      e.target.value = "";
      return;
    }
    setCsv(await file.text());
  }

  return (
    <fieldset className="flex flex-wrap items-start gap-3">
      <legend className="mb-1 text-sm font-medium">Candles</legend>
      <label className="flex flex-col text-sm">
        From
        <select name="source" value={source} onChange={(e) => setSource(e.target.value as "exchange" | "csv")} className={input}>
          <option value="exchange">an exchange&apos;s history</option>
          <option value="csv">CSV candles</option>
        </select>
      </label>
      {source === "exchange" ? (
        <>
          <Field name="exchange" label="Exchange" defaultValue="demo" hint="demo, or a ccxt id such as binance" />
          <Field name="days" label="Days of history" defaultValue="30" />
        </>
      ) : (
        <div className="flex w-full flex-col gap-2 text-sm">
          <label className="flex flex-col">
            CSV file
            <input type="file" accept=".csv,text/csv,text/plain" onChange={readFile} className="mt-1 text-sm" />
          </label>
          <label htmlFor={id}>CSV candles: timestamp,open,high,low,close,volume — timestamp in ms, one candle a line (a header line may come first)</label>
          <textarea id={id} name="csv" rows={6} value={csv} onChange={(e) => setCsv(e.target.value)} aria-invalid={csvErrors.length ? true : undefined} aria-describedby={`${id}-help`} className={`${input} font-mono text-xs`} placeholder="1733011200000,100,101,99,100.5,12" />
          <span id={`${id}-help`}>
            {csvErrors.map((m) => (
              <span key={m} className="block text-xs text-red-700 dark:text-red-400">
                {m}
              </span>
            ))}
          </span>
        </div>
      )}
    </fieldset>
  );
}
