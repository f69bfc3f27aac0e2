/**
 * Starting, stopping, pausing and resuming bots, and the kill switch. The web
 * side only writes what the user wants (desiredState and the stop options)
 * and audits it; the worker that runs the bot acts on it within a second
 * (lib/bots/supervisor.ts). Operators and owners may do this; the kill switch
 * is the owner's.
 */
import "server-only";
import { appendAudit } from "../audit/append";
import type { Actor } from "../auth/users";
import type { Db } from "../db/client";
import { botListChanged } from "./list-cache";
import { channels, notify } from "../db/notify";
import { InvalidInputError, NotFoundError } from "../errors";

export const botActions = ["start", "stop", "pause", "resume"] as const;
export type BotAction = (typeof botActions)[number];

export async function controlBot(db: Db, botId: string, action: BotAction, opts: { cancelOrders?: boolean }, actor: Actor): Promise<{ name: string; message: string }> {
  const bot = await db.bot.findFirst({ where: { id: botId, deletedAt: null }, include: { key: { select: { status: true, label: true } } } });
  if (!bot) throw new NotFoundError("That bot does not exist.");
  let data: { desiredState: string; stopCancelsOrders?: boolean; cancelPending?: boolean };
  let message: string;
  switch (action) {
    case "start":
      if (bot.desiredState === "running") throw new InvalidInputError(`"${bot.name}" is already started.`);
      if (!bot.key) throw new InvalidInputError(`"${bot.name}" has no key: rotate a key onto it first.`);
      if (bot.mode === "live" && bot.key.status !== "active") throw new InvalidInputError(`"${bot.name}"'s key "${bot.key.label}" is ${bot.key.status}: fix or rotate it first.`);
      data = { desiredState: "running", stopCancelsOrders: true };
      message = `Starting "${bot.name}": the worker checks its key, reconciles with the exchange, then trades.`;
      break;
    case "stop": {
      const cancel = opts.cancelOrders ?? true;
      data = { desiredState: "stopped", stopCancelsOrders: cancel, cancelPending: cancel };
      message = `Stopping "${bot.name}"${cancel ? " and cancelling its open orders" : "; its open orders stay on the exchange"}.`;
      break;
    }
    case "pause":
      if (bot.desiredState !== "running") throw new InvalidInputError(`"${bot.name}" is not running, so it cannot be paused.`);
      data = { desiredState: "paused" };
      message = `Pausing "${bot.name}": it places nothing new; its open orders stay and are followed.`;
      break;
    case "resume":
      if (bot.desiredState !== "paused") throw new InvalidInputError(`"${bot.name}" is not paused.`);
      data = { desiredState: "running" };
      message = `Resuming "${bot.name}".`;
      break;
  }
  await db.bot.update({ where: { id: botId }, data });
  botListChanged(db);
  await notify(db, channels.bots, botId);
  await appendAudit(db, { actor, action: `bot.${action}`, ip: actor.ip, target: { type: "bot", id: botId }, detail: { name: bot.name, mode: bot.mode, ...(action === "stop" ? { cancelOrders: data.stopCancelsOrders } : {}) } });
  return { name: bot.name, message };
}

/**
 * The kill switch: every bot stops, and every open order of every bot is
 * cancelled — also those of bots no worker is running (cancelPending makes a
 * worker take them just for that).
 */
export async function killSwitch(db: Db, actor: Actor): Promise<{ bots: number }> {
  const r = await db.bot.updateMany({ where: { deletedAt: null }, data: { desiredState: "stopped", stopCancelsOrders: true, cancelPending: true } });
  botListChanged(db);
  await notify(db, channels.bots);
  await appendAudit(db, { actor, action: "bots.kill-switch", ip: actor.ip, detail: { bots: r.count } });
  await db.botEvent.create({ data: { botId: null, level: "error", kind: "risk.kill-switch", message: `Kill switch pulled by ${actor.label}: ${r.count} bot(s) stop and every open order is cancelled.` } });
  return { bots: r.count };
}

/**
 * Asks the bot's runner to cancel one of its open orders (its tick is woken:
 * it cancels at once, through the same order manager as the strategy's cancels). A bot
 * nobody runs has no one to cancel with its key: the user is told what to do.
 */
export async function askCancelOrder(db: Db, botId: string, orderId: string, actor: Actor): Promise<{ message: string }> {
  const order = await db.order.findFirst({ where: { id: orderId, botId }, include: { bot: { select: { name: true, status: true, deletedAt: true } } } });
  if (!order || order.bot.deletedAt) throw new NotFoundError("That order does not exist.");
  if (order.status !== "open" && order.status !== "pending") throw new InvalidInputError(`Order ${order.clientOrderId} is ${order.status}; only an open order can be cancelled.`);
  if (!["starting", "running", "pausing", "paused"].includes(order.bot.status)) {
    throw new InvalidInputError(`"${order.bot.name}" is ${order.bot.status}, so no worker follows its orders: start it (it reconciles first) and cancel again, or cancel order ${order.clientOrderId} on the exchange.`);
  }
  if (!order.cancelAskedAt) await db.order.update({ where: { id: orderId }, data: { cancelAskedAt: new Date(), cancelAskedBy: actor.label } });
  await db.bot.update({ where: { id: botId }, data: { cancelAsks: { increment: 1 } } });
  await notify(db, channels.bots, botId);
  await appendAudit(db, { actor, action: "bot.cancel-order", ip: actor.ip, target: { type: "bot", id: botId }, detail: { name: order.bot.name, clientOrderId: order.clientOrderId } });
  return { message: `Cancelling order ${order.clientOrderId}: the bot's worker cancels it at the exchange in a moment.` };
}
