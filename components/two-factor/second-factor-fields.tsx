"use client";

/**
 * The second-factor part of a form (sign-in step, fresh authentication): a
 * code field (authenticator app or recovery code) and/or "Use a passkey",
 * which asks the server for options, runs the browser's WebAuthn ceremony and
 * submits the form with the signed answer.
 */
import { startAuthentication } from "@simplewebauthn/browser";
import { useRef, useState } from "react";
import { button, input } from "../action-form";
import type { PasskeyOptionsResult } from "./types";

interface Props {
  methods: { code: boolean; passkey: boolean };
  passkeyOptions: () => Promise<PasskeyOptionsResult>;
}

export function SecondFactorFields({ methods, passkeyOptions }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function signWithPasskey() {
    setError(null);
    setBusy(true);
    try {
      const got = await passkeyOptions();
      if ("error" in got) return setError(got.error);
      const answer = await startAuthentication({ optionsJSON: got.options });
      const form = box.current?.closest("form");
      if (!form) return;
      (form.elements.namedItem("passkeyResponse") as HTMLInputElement).value = JSON.stringify(answer);
      (form.elements.namedItem("challengeId") as HTMLInputElement).value = got.challengeId;
      (form.elements.namedItem("code") as HTMLInputElement | null)?.removeAttribute("required");
      form.requestSubmit();
    } catch (err) {
      setError(err instanceof Error && err.name === "NotAllowedError" ? "The passkey was not used (cancelled, timed out, or not one registered here)." : "This browser could not use a passkey here.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div ref={box} className="flex flex-wrap items-end gap-3">
      <input type="hidden" name="passkeyResponse" defaultValue="" />
      <input type="hidden" name="challengeId" defaultValue="" />
      {methods.code && (
        <label className="flex min-w-56 flex-col text-sm">
          Authenticator code or recovery code
          <input name="code" inputMode="text" autoComplete="one-time-code" autoFocus className={input} placeholder="123456" />
        </label>
      )}
      {methods.passkey && (
        <button type="button" onClick={signWithPasskey} disabled={busy} className={button}>
          {busy ? "Waiting for the passkey…" : "Use a passkey"}
        </button>
      )}
      {error && (
        <p role="alert" className="w-full text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </div>
  );
}
