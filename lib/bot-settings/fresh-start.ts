/**
 * A bot that moves to another market or account starts again: its position,
 * PnL and strategy memory count only the orders it places from then on
 * (Bot.positionSince), and what its runner last showed is cleared. Whether a
 * new key is of another exchange account, or of the same one (whose key sees
 * and cancels the bot's open orders), is known only where the exchange names
 * each key's account (ExchangeKey.accountUid).
 */

/** The bot row's fields for such a start. */
export function freshStart(now = new Date()) {
  return { paperBalances: "{}", positionSince: now, pnl: "{}", pnlAt: null, balances: "{}", balancesAt: null, market: "{}", strategyState: "{}" };
}

interface KeyAccount {
  exchange: string;
  accountUid: string | null;
}

/**
 * Whether two keys are known to be of different exchange accounts: only where
 * the exchange names each key's account (ExchangeKey.accountUid). Keys whose
 * account is unknown count as the same account (the position is kept).
 */
export function otherAccount(a: KeyAccount | null, b: KeyAccount | null): boolean {
  return !!a?.accountUid && !!b?.accountUid && !sameAccount(a, b);
}

/** Whether two keys are known to be of one exchange account (a key of it sees and cancels the account's orders). */
export function sameAccount(a: KeyAccount | null, b: KeyAccount | null): boolean {
  return !!a?.accountUid && a.exchange === b?.exchange && a.accountUid === b.accountUid;
}
