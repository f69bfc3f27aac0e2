import "server-only";
import type { Db } from "../db/client";
import { InvalidInputError } from "../errors";

/**
 * A stopped bot's open orders are followed through its symbol, mode and key
 * (looked up, cancelled, their fills fetched): changing one of those (an edit,
 * a key rotation: the new key may be another account's), or deleting the bot,
 * would leave them on the exchange with nothing following them, and counted
 * as open forever. Refused while Keyward can still cancel them; a live bot
 * whose key is revoked or rejected cannot, so that is no reason to refuse.
 */
type GuardedBot = { id: string; name: string; symbol: string; mode: string; key: { status: string } | null };

/** The bot's pending and open orders that Keyward can still follow (0 for a live bot whose key is revoked or rejected). */
export async function ordersToFollow(db: Db, bot: GuardedBot): Promise<number> {
  if (bot.mode === "live" && bot.key?.status !== "active") return 0;
  return db.order.count({ where: { botId: bot.id, status: { in: ["pending", "open"] } } });
}

/** `open`: ordersToFollow's count when the caller has it already. */
export async function refuseWhileOrdersOpen(db: Db, bot: GuardedBot, change: { what: string; field?: string }, open?: number): Promise<void> {
  open ??= await ordersToFollow(db, bot);
  if (open === 0) return;
  throw new InvalidInputError(
    `"${bot.name}" has ${open} open order${open === 1 ? "" : "s"} on ${bot.symbol}; ${change.what} would leave ${open === 1 ? "it" : "them"} open with nothing following ${open === 1 ? "it" : "them"}. Cancel ${open === 1 ? "it" : "them"} first: Stop the bot with "cancel its open orders" ticked (Stop works on a stopped bot too).`,
    change.field ? { [change.field]: ["Cancel the bot's open orders first."] } : undefined,
  );
}
