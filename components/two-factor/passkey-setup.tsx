"use client";

/** Registering a passkey: a name, the browser's WebAuthn ceremony, then the server verifies and stores it. */
import { startRegistration } from "@simplewebauthn/browser";
import { startTransition, useActionState, useEffect, useRef, useState } from "react";
import { useHydrated } from "../hydrated";
import type { ActionState } from "@/lib/auth/action-state";
import { button, input } from "../action-form";
import { FactorAdded } from "./recovery-codes";
import type { PasskeyRegistrationOptionsResult } from "./types";

type Action = (prev: ActionState, fd: FormData) => Promise<ActionState>;

export function PasskeySetup({ options, register, publicOrigin, finish }: { options: () => Promise<PasskeyRegistrationOptionsResult>; register: Action; publicOrigin: string; finish?: () => Promise<void> }) {
  const [state, registerAction, pending] = useActionState(register, {});
  const hydrated = useHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state.ok) formRef.current?.reset();
  }, [state]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function add(form: HTMLFormElement) {
    setError(null);
    if (window.location.origin !== publicOrigin) return setError(`Passkeys are bound to the address Keyward is configured with: open ${publicOrigin} (KEYWARD_PUBLIC_URL) to add one.`);
    const data = new FormData(form);
    setBusy(true);
    try {
      const got = await options();
      if ("error" in got) return setError(got.error);
      const answer = await startRegistration({ optionsJSON: got.options });
      data.set("response", JSON.stringify(answer));
      data.set("challengeId", got.challengeId);
      startTransition(() => registerAction(data));
    } catch (err) {
      setError(err instanceof Error && err.name === "InvalidStateError" ? "This authenticator already holds a passkey for this account." : "The passkey was not created (cancelled, timed out, or not supported here).");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div>
      <form
        ref={formRef}
        method="post"
        onSubmit={(e) => {
          e.preventDefault();
          void add(e.currentTarget);
        }}
        className="flex flex-wrap items-end gap-3"
      >
        <label className="flex min-w-56 flex-col text-sm">
          Passkey name
          <input name="name" required maxLength={60} placeholder="laptop" className={input} />
        </label>
        <button type="submit" disabled={busy || pending || !hydrated} className={button}>
          {busy ? "Waiting for the authenticator…" : "Add a passkey"}
        </button>
      </form>
      {(error ?? state.error) && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {error ?? state.error}
        </p>
      )}
      <FactorAdded state={state} finish={finish} />
    </div>
  );
}
