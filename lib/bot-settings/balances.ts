/**
 * The latest balances of bots' accounts, from the bot rows (the runner writes
 * them with each snapshot; BalanceSnapshot keeps the history): one read
 * however long the history is. A live bot's account is its key's; a paper
 * bot's is its simulated account.
 */
import type { Db } from "../db/client";

export interface AccountBalances {
  botId: string;
  keyId: string | null;
  keyLabel: string | null;
  exchange: string;
  /** the exchange's id of the account the key belongs to, where the exchange names it (lib/exchange/scopes.ts) */
  exchangeAccount: string | null;
  paper: boolean;
  takenAt: string;
  balances: { currency: string; free: string; used: string; total: string }[];
}

export async function latestBalances(db: Db, where: { botId?: string; paper?: boolean }): Promise<AccountBalances[]> {
  const rows = await db.bot.findMany({
    where: { deletedAt: null, balancesAt: { not: null }, ...(where.botId ? { id: where.botId } : {}), ...(where.paper === undefined ? {} : { mode: where.paper ? "paper" : "live" }) },
    select: { id: true, keyId: true, exchange: true, mode: true, balances: true, balancesAt: true, key: { select: { label: true, accountUid: true } } },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((r) => ({
    botId: r.id,
    keyId: r.keyId,
    keyLabel: r.key?.label ?? null,
    exchange: r.exchange,
    exchangeAccount: r.mode === "live" ? (r.key?.accountUid ?? null) : null,
    paper: r.mode !== "live",
    takenAt: r.balancesAt!.toISOString(),
    balances: Object.entries(JSON.parse(r.balances) as Record<string, { free: string; used: string; total: string }>)
      .map(([currency, b]) => ({ currency, free: b.free, used: b.used, total: b.total }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
  }));
}

/**
 * One snapshot per account, the latest: bots whose keys belong to one exchange
 * account all read that account's balances, which a sum must count once. A key
 * whose exchange does not name its account counts as an account of its own
 * (`unknownAccounts`), as does each paper bot.
 */
export function onePerAccount(accounts: AccountBalances[]): { accounts: AccountBalances[]; unknownAccounts: number } {
  const latest = new Map<string, AccountBalances>();
  let unknownAccounts = 0;
  for (const a of accounts) {
    if (!a.paper && !a.exchangeAccount) unknownAccounts++;
    const id = a.paper ? `paper ${a.botId}` : a.exchangeAccount ? `${a.exchange} ${a.exchangeAccount}` : `key ${a.keyId ?? a.botId}`;
    const seen = latest.get(id);
    if (!seen || a.takenAt > seen.takenAt) latest.set(id, a);
  }
  return { accounts: [...latest.values()], unknownAccounts };
}
