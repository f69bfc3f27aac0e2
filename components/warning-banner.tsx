import Link from "next/link";

/** Shown on every page while any active key can withdraw or transfer funds, or is not IP-restricted. */
export function WarningBanner({ withdraw, transfer, unrestricted }: { withdraw: number; transfer: number; unrestricted: number }) {
  if (!withdraw && !transfer && !unrestricted) return null;
  return (
    <div role="region" aria-label="Key warnings" data-testid="key-banner" className={`border-b px-4 py-2 text-sm ${withdraw || transfer ? "border-red-700 bg-red-600 text-white" : "border-amber-400 bg-amber-200 text-amber-950"}`}>
      <div className="mx-auto max-w-6xl">
        {withdraw > 0 && <strong>{withdraw} active key{withdraw > 1 ? "s" : ""} can WITHDRAW funds. </strong>}
        {transfer > 0 && <strong>{transfer} active key{transfer > 1 ? "s" : ""} can TRANSFER funds between wallets. </strong>}
        {unrestricted > 0 && <span>{unrestricted} active key{unrestricted > 1 ? "s are" : " is"} not IP-restricted. </span>}
        <Link href="/keys" className="underline">
          Review keys
        </Link>
      </div>
    </div>
  );
}

/** Shown to an owner on every page until they have a second factor. */
export function PasswordOnlyBanner({ keys, liveBots }: { keys: number; liveBots: number }) {
  return (
    <div role="region" aria-label="Two-factor warning" data-testid="two-factor-banner" className="border-b border-amber-400 bg-amber-200 px-4 py-2 text-sm text-amber-950">
      <div className="mx-auto max-w-6xl">
        <strong>
          Your password alone controls {keys} active key{keys === 1 ? "" : "s"} and {liveBots} live bot{liveBots === 1 ? "" : "s"}.{" "}
        </strong>
        <Link href="/settings/security" className="underline">
          Set up two-factor sign-in
        </Link>
      </div>
    </div>
  );
}
