"use client";

/** New recovery codes, shown once: copy or download them as text. */
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { ActionState } from "@/lib/auth/action-state";
import { button } from "../action-form";

/** `finish`: the forced enrolment's last step (starts the session); without it, "I saved them" hides the codes. */
export function RecoveryCodes({ codes, finish }: { codes: string[]; finish?: () => Promise<void> }) {
  const [copied, setCopied] = useState(false);
  const [done, setDone] = useState(false);
  const router = useRouter();
  if (done) return null;
  const text = `Keyward recovery codes (each works once)\n\n${codes.join("\n")}\n`;
  return (
    <div data-testid="recovery-codes" className="mt-3 space-y-3 rounded-md border border-amber-400 bg-amber-50 p-4 text-sm dark:bg-amber-950">
      <p className="font-medium">Save these recovery codes now: they will not be shown again. Each one signs you in once if you lose your authenticator or passkey.</p>
      <ul className="grid grid-cols-2 gap-1 font-mono sm:grid-cols-5">
        {codes.map((c) => (
          <li key={c} data-testid="recovery-code">
            {c}
          </li>
        ))}
      </ul>
      <div className="flex flex-wrap gap-3">
        <button type="button" className={button} onClick={() => navigator.clipboard?.writeText(text).then(() => setCopied(true))}>
          {copied ? "Copied" : "Copy"}
        </button>
        <a className={button} href={`data:text/plain;charset=utf-8,${encodeURIComponent(text)}`} download="keyward-recovery-codes.txt">
          Download as text
        </a>
        {finish ? (
          <form action={finish}>
            <button type="submit" className={button}>
              I saved them — continue
            </button>
          </form>
        ) : (
          <button
            type="button"
            className={button}
            onClick={() => {
              setDone(true);
              router.refresh();
            }}
          >
            I saved them
          </button>
        )}
      </div>
    </div>
  );
}

/** What follows a factor switched on: its message, then the recovery codes (the first factor) or — in a forced enrolment — Continue. In Settings the page refreshes. */
export function FactorAdded({ state, finish }: { state: ActionState; finish?: () => Promise<void> }) {
  const router = useRouter();
  const refresh = state.ok && !state.recoveryCodes && !finish;
  useEffect(() => {
    if (refresh) router.refresh();
  }, [refresh, router]);
  if (!state.ok) return null;
  return (
    <div>
      <p role="status" className="mt-2 text-sm text-emerald-700 dark:text-emerald-400">
        {state.message}
      </p>
      {state.recoveryCodes ? (
        <RecoveryCodes codes={state.recoveryCodes} finish={finish} />
      ) : (
        finish && (
          <form action={finish}>
            <button type="submit" className={button}>
              Continue
            </button>
          </form>
        )
      )}
    </div>
  );
}
