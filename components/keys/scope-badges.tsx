import type { KeyDTO } from "@/lib/keys/dto";

const badge = "inline-block rounded px-1.5 py-0.5 text-xs font-medium";

export function ScopeBadges({ k }: { k: KeyDTO }) {
  return (
    <span className="flex flex-wrap gap-1">
      {k.read && <span className={`${badge} bg-zinc-200 dark:bg-zinc-700`}>Read</span>}
      {k.trade && <span className={`${badge} bg-sky-100 text-sky-900 dark:bg-sky-900 dark:text-sky-100`}>Trade</span>}
      {k.withdraw && (
        <span data-testid="badge-withdraw" className={`${badge} bg-red-600 text-white`} title={k.withdrawRiskAccepted ? "Withdraw risk accepted by the owner" : undefined}>
          Withdraw
        </span>
      )}
      {k.transfer && (
        <span data-testid="badge-transfer" className={`${badge} bg-red-600 text-white`} title="Can move funds between wallets or sub-accounts, outside every bot's limits">
          Transfer
        </span>
      )}
      {k.ipRestricted ? (
        <span className={`${badge} bg-emerald-100 text-emerald-900 dark:bg-emerald-900 dark:text-emerald-100`}>IP-restricted</span>
      ) : (
        <span data-testid="badge-no-ip" className={`${badge} bg-amber-300 text-amber-950`}>No IP restriction</span>
      )}
      {k.expiresAt && <span className={`${badge} bg-zinc-200 dark:bg-zinc-700`}>Expires {k.expiresAt.slice(0, 10)}</span>}
      {k.scopeSource === "declared" && <span className={`${badge} border border-zinc-400`}>declared, unverified</span>}
      {k.scopeSource === "probed" && <span className={`${badge} border border-zinc-400`} title="This exchange reports no key permissions: trade was tested by a harmless request, the others are as declared">trade probed, rest declared</span>}
    </span>
  );
}
