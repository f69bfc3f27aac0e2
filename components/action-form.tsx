"use client";

/**
 * A form bound to a server action through useActionState: shows the action's
 * error, message, per-field errors, a value revealed once, and — when the
 * action asks for it — an inline password confirmation (re-auth).
 */
import { createContext, startTransition, useActionState, useContext, useEffect, useId, useRef, type FormEvent, type ReactNode } from "react";
import { passkeyOptionsAction } from "@/app/login/actions";
import type { ActionState } from "@/lib/auth/action-state";
import { useHydrated } from "./hydrated";
import { SecondFactorFields } from "./two-factor/second-factor-fields";

type Action = (prev: ActionState, fd: FormData) => Promise<ActionState>;

const StateContext = createContext<ActionState>({});

/** The last answer of the enclosing ActionForm's action (for fields that appear on demand). */
export function useActionFormState(): ActionState {
  return useContext(StateContext);
}

interface Props {
  action: Action;
  submitLabel: string;
  children?: ReactNode;
  /** ask before submitting (destructive actions) */
  confirm?: string;
  reauthAction?: Action;
  className?: string;
  danger?: boolean;
}

export function ActionForm({ action, submitLabel, children, confirm, reauthAction, className, danger }: Props) {
  const [state, formAction, pending] = useActionState(action, {});
  const hydrated = useHydrated();
  const formRef = useRef<HTMLFormElement>(null);
  // Keep what the user typed when the action reports a problem; clear it on success.
  useEffect(() => {
    if (state.ok) formRef.current?.reset();
  }, [state]);
  return (
    <div className={className}>
      <form
        ref={formRef}
        method="post"
        onSubmit={submitKeepingFields(formAction, confirm)}
        className="flex flex-wrap items-end gap-3"
      >
        <StateContext.Provider value={state}>{children}</StateContext.Provider>
        <button type="submit" disabled={pending || !hydrated} className={danger ? buttonDanger : button}>
          {pending ? "Working…" : submitLabel}
        </button>
      </form>
      {state.error && (
        <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {state.error}
        </p>
      )}
      {state.message && (
        <p role="status" className="mt-2 text-sm text-emerald-700 dark:text-emerald-400">
          {state.message}
        </p>
      )}
      {state.danger && (
        <div role="alert" data-testid="danger" className="mt-2 rounded-md border border-red-500 bg-red-50 p-3 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">
          {state.danger}
        </div>
      )}
      {state.warnings?.map((w) => (
        <p key={w} data-testid="warning" className="mt-2 rounded-md border border-amber-400 bg-amber-50 p-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          {w}
        </p>
      ))}
      {state.steps && (
        <ol data-testid="steps" className="mt-2 list-decimal space-y-1 pl-6 text-sm">
          {state.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      )}
      {state.reveal && (
        <div className="mt-2 rounded-md border border-amber-400 bg-amber-50 p-3 text-sm dark:bg-amber-950">
          <p className="font-medium">Copy it now: it will not be shown again.</p>
          <code data-testid="revealed" className="mt-1 block break-all font-mono">
            {state.reveal}
          </code>
        </div>
      )}
      {state.needsReauth && reauthAction && <ReauthForm action={reauthAction} />}
    </div>
  );
}

/**
 * Re-authentication (SECURITY.md 14): the password, and the second factor when
 * the user has one — the action answers `secondFactor` on the first submit, the
 * password stays typed, and the second submit carries both.
 */
export function ReauthForm({ action, onConfirmed }: { action: Action; onConfirmed?: () => void }) {
  const [state, formAction, pending] = useActionState(action, {});
  const hydrated = useHydrated();
  useEffect(() => {
    if (state.ok) onConfirmed?.();
  }, [state, onConfirmed]);
  if (state.ok) return <p role="status" className="mt-2 text-sm">Password confirmed. Submit again.</p>;
  return (
    <form
      method="post"
      onSubmit={submitKeepingFields(formAction)}
      className="mt-3 flex flex-wrap items-end gap-3 rounded-md border border-zinc-300 p-3 dark:border-zinc-700"
    >
      <label className="flex flex-col text-sm">
        Confirm your password
        <input name="password" type="password" autoComplete="current-password" required className={input} />
      </label>
      {state.secondFactor && <SecondFactorFields methods={state.secondFactor} passkeyOptions={passkeyOptionsAction} />}
      <button type="submit" disabled={pending || !hydrated} className={button}>
        Confirm
      </button>
      {state.error && <p role="alert" className="w-full text-sm text-red-700 dark:text-red-400">{state.error}</p>}
    </form>
  );
}

/**
 * A form's submit handler that runs `action` in a transition rather than
 * through the form's action prop, which would make React reset what was typed
 * (kept when the action reports a problem). `confirm`: asked first.
 */
export function submitKeepingFields(action: (fd: FormData) => void, confirm?: string) {
  return (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (confirm && !window.confirm(confirm)) return;
    const data = new FormData(e.currentTarget);
    startTransition(() => action(data));
  };
}

interface FieldProps {
  name: string;
  label: string;
  type?: string;
  autoComplete?: string;
  required?: boolean;
  defaultValue?: string;
  placeholder?: string;
  hint?: string;
}

export function Field({ name, label, type = "text", hint, ...rest }: FieldProps) {
  const state = useContext(StateContext);
  const errors = state.fieldErrors?.[name];
  const id = useId();
  return (
    <div className="flex min-w-56 flex-col text-sm">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type={type} aria-invalid={errors ? true : undefined} aria-describedby={`${id}-help`} className={input} {...rest} />
      <FieldHelp id={`${id}-help`} hint={hint} errors={errors} />
    </div>
  );
}

/** What a field says under it — its hint, then the action's errors for it — linked to it by `aria-describedby`. */
function FieldHelp({ id, hint, errors }: { id: string; hint?: string; errors?: string[] }) {
  return (
    <span id={id}>
      {hint && <span className="mt-1 block text-xs text-zinc-500">{hint}</span>}
      {errors?.map((e) => (
        <span key={e} className="mt-1 block text-xs text-red-700 dark:text-red-400">
          {e}
        </span>
      ))}
    </span>
  );
}

export function Select({ name, label, options, defaultValue }: { name: string; label: string; options: readonly string[]; defaultValue?: string }) {
  const errors = useContext(StateContext).fieldErrors?.[name];
  const id = useId();
  return (
    <div className="flex flex-col text-sm">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={defaultValue} aria-invalid={errors ? true : undefined} aria-describedby={`${id}-help`} className={input}>
        {options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
      <FieldHelp id={`${id}-help`} errors={errors} />
    </div>
  );
}

export const input = "mt-1 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-sm dark:border-zinc-700 dark:bg-zinc-900";
export const button = "rounded-md bg-zinc-900 px-4 py-1.5 text-sm font-medium text-white hover:bg-zinc-700 disabled:opacity-50 dark:bg-zinc-100 dark:text-zinc-900";
export const buttonDanger = "rounded-md bg-red-700 px-4 py-1.5 text-sm font-medium text-white hover:bg-red-600 disabled:opacity-50";
