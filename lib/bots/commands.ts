/**
 * Commands from web to worker, through the BotCommand table: claimed with a
 * conditional update (so with several workers each command runs once), run,
 * and answered in `result`. The worker is the only process that opens a key.
 */
import type { Db } from "../db/client";
import { loadCredentials } from "../exchange/credentials";
import { classifyError, safeErrorMessage } from "../exchange/errors";
import { openExchange } from "../exchange/open";
import type { Logger } from "../log";
import { loadVault } from "../vault/keyring";
import type { Keyring } from "../vault/open";
import { rotateVault } from "../vault/rotate";
import { placedByBot } from "./client-order-id";
import { recheckKey } from "./recheck-key";

export interface CommandContext {
  db: Db;
  /** replaced after a vault rotation, so later commands open the rewrapped values */
  keyring: Keyring;
  vaultFile: string;
  workerId: string;
  demoUrl: string | undefined;
  log: Logger;
}

export async function processCommands(ctx: CommandContext, limit = 10): Promise<number> {
  const pending = await ctx.db.botCommand.findMany({ where: { processedAt: null, claimedBy: null }, orderBy: { id: "asc" }, take: limit });
  let done = 0;
  for (const cmd of pending) {
    const claimed = await ctx.db.botCommand.updateMany({ where: { id: cmd.id, claimedBy: null, processedAt: null }, data: { claimedBy: ctx.workerId } });
    if (claimed.count === 0) continue;
    let result: string;
    try {
      result = await run(ctx, cmd);
    } catch (err) {
      result = `failed: ${safeErrorMessage(err)}`;
      ctx.log.warn({ command: cmd.kind, commandId: cmd.id, error: result }, "command failed");
    }
    await ctx.db.botCommand.updateMany({ where: { id: cmd.id, processedAt: null }, data: { processedAt: new Date(), result } });
    done++;
  }
  return done;
}

async function run(ctx: CommandContext, cmd: { kind: string; keyId: string | null; botId: string | null; payload: string }): Promise<string> {
  if (cmd.kind === "vault-rotate") {
    const r = await rotateVault(ctx.db, ctx.vaultFile);
    ctx.keyring = (await loadVault(ctx.db, ctx.vaultFile)).keyring;
    return `vault key v${r.newVersion} is primary; ${r.rewrapped} stored key(s) rewrapped; retired: ${r.retired.map((v) => `v${v}`).join(", ") || "none"}`;
  }
  if (!cmd.keyId) return "failed: the command names no key";
  switch (cmd.kind) {
    case "cancel-all":
      if (!cmd.botId) return "failed: the command names no bot";
      return cancelAll(ctx, cmd.keyId, cmd.botId, (JSON.parse(cmd.payload) as { symbol: string }).symbol);
    case "recheck-key":
      return recheckKey(ctx, cmd.keyId);
    default:
      return `failed: unknown command ${cmd.kind}`;
  }
}

/**
 * Cancels the bot's open orders on its symbol with its key (revoking the key).
 * The key sees its whole exchange account's orders there: those another bot or
 * program placed are left, and counted in the answer.
 */
async function cancelAll(ctx: CommandContext, keyId: string, botId: string, symbol: string): Promise<string> {
  const { exchange, credentials } = await loadCredentials(ctx.db, ctx.keyring, keyId);
  try {
    const ex = await openExchange({ exchange, credentials, demoUrl: ctx.demoUrl, timeoutMs: 8000 });
    const onAccount = await ex.fetchOpenOrders(symbol);
    const open = onAccount.filter((o) => placedByBot(o.clientOrderId, botId));
    const others = onAccount.length - open.length;
    const left = others ? `; left ${others} open order(s) the bot did not place (another bot's or program's on the same account: see them on the exchange)` : "";
    let cancelled = 0;
    const failures: string[] = [];
    for (const o of open) {
      try {
        await ex.cancelOrder(o.id!, symbol);
        cancelled++;
      } catch (err) {
        failures.push(`${o.id}: ${safeErrorMessage(err)}`);
      }
    }
    return (failures.length ? `cancelled ${cancelled} of the bot's ${open.length} open orders on ${symbol}; failed: ${failures.join("; ")}` : `cancelled ${cancelled} open order(s) of the bot on ${symbol}`) + left;
  } catch (err) {
    return `could not cancel open orders (${classifyError(err)}): ${safeErrorMessage(err)}`;
  }
}
