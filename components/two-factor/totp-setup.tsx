"use client";

/**
 * Setting up an authenticator app: a fresh secret as QR code and as text,
 * switched on only by a first valid code; then the recovery codes, once.
 */
import { startTransition, useActionState } from "react";
import type { ActionState } from "@/lib/auth/action-state";
import { button, input, submitKeepingFields } from "../action-form";
import { FactorAdded } from "./recovery-codes";

type Action = (prev: ActionState, fd: FormData) => Promise<ActionState>;

export function TotpSetup({ start, confirm, finish }: { start: () => Promise<ActionState>; confirm: Action; finish?: () => Promise<void> }) {
  const [started, startAction, starting] = useActionState(start, {});
  const [confirmed, confirmAction, confirming] = useActionState(confirm, {});
  if (confirmed.ok) return <FactorAdded state={confirmed} finish={finish} />;
  return (
    <div className="space-y-3">
      <button type="button" className={button} disabled={starting} onClick={() => startTransition(() => startAction())}>
        {started.totp ? "Start over with a new secret" : "Set up an authenticator app"}
      </button>
      {started.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          {started.error}
        </p>
      )}
      {started.totp && (
        <div className="flex flex-wrap gap-6 rounded-md border border-zinc-300 p-4 dark:border-zinc-700">
          <img src={started.totp.qr} alt="QR code to scan with your authenticator app" width={220} height={220} className="rounded bg-white" />
          <div className="space-y-3 text-sm">
            <p>Scan the code with your authenticator app, or type this secret into it (time-based, SHA-1, 6 digits, 30 s):</p>
            <code data-testid="totp-secret" className="block break-all font-mono text-base">
              {started.totp.secret}
            </code>
            <form
              onSubmit={submitKeepingFields(confirmAction)}
              className="flex flex-wrap items-end gap-3"
            >
              <label className="flex flex-col">
                Code from the app
                <input name="code" inputMode="numeric" autoComplete="one-time-code" required pattern="\d{6}" className={input} />
              </label>
              <button type="submit" disabled={confirming} className={button}>
                Turn on
              </button>
            </form>
            {confirmed.error && (
              <p role="alert" className="text-sm text-red-700 dark:text-red-400">
                {confirmed.error}
              </p>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
