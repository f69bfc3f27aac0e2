"use client";

/** New recovery codes, shown once: copy or download them as text. */
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { button } from "../action-form";

export function RecoveryCodes({ codes, next }: { codes: string[]; next?: string }) {
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
        {next ? (
          <Link href={next} className={button}>
            I saved them — continue
          </Link>
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
