"use client";

import { startTransition, useActionState } from "react";
import type { ActionState } from "@/lib/auth/action-state";
import { buttonDanger } from "../action-form";
import { RecoveryCodes } from "./recovery-codes";

export function RegenerateRecoveryCodes({ action }: { action: (prev: ActionState, fd: FormData) => Promise<ActionState> }) {
  const [state, run, pending] = useActionState(action, {});
  return (
    <div>
      <button
        type="button"
        className={buttonDanger}
        disabled={pending}
        onClick={() => {
          if (window.confirm("Make ten new recovery codes? The old ones stop working.")) startTransition(() => run(new FormData()));
        }}
      >
        Make new recovery codes
      </button>
      {state.error && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {state.error}
        </p>
      )}
      {state.recoveryCodes && <RecoveryCodes codes={state.recoveryCodes} />}
    </div>
  );
}
