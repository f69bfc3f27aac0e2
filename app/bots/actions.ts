"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction, ReauthRequiredError, UserFacingError, withFormErrors, type ActionContext } from "@/lib/auth/action";
import { hasFreshAuth } from "@/lib/auth/sessions";
import { askCancelOrder, botActions, controlBot, killSwitch } from "@/lib/bot-settings/control";
import { createBot, deleteBot, updateBot } from "@/lib/bot-settings/save-bot";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ServiceError } from "@/lib/errors";
import { botSchema } from "@/lib/validation/keys";

const botForm = z.preprocess((raw) => {
  const o = raw as Record<string, unknown>;
  const params = Object.fromEntries(Object.entries(o).filter(([k]) => k.startsWith("param.")).map(([k, v]) => [k.slice(6), v]));
  return { ...o, params };
}, botSchema.extend({ id: z.string().max(64).optional() }));

function liveNeedsFreshAuth(mode: string, ctx: ActionContext): void {
  if (mode === "live" && !hasFreshAuth(ctx.session)) throw new ReauthRequiredError("Switching a bot to live trading needs your password again.");
}


export const saveBotAction = authedAction({ role: "owner" }, botForm, async (input, ctx) => {
  liveNeedsFreshAuth(input.mode, ctx);
  const { id, params, ...bot } = input;
  const result = await withFormErrors(() => (id ? updateBot(db(), id, { ...bot, params }, params, ctx.actor, env().demoExchangeUrl) : createBot(db(), { ...bot, params }, params, ctx.actor, env().demoExchangeUrl)));
  if ("error" in result) return result;
  revalidatePath("/bots");
  return { ok: true, message: `Bot "${input.name}" ${id ? "saved" : "created"} (${input.mode === "live" ? "LIVE" : "paper"}, stopped).` };
});

export const deleteBotAction = authedAction({ role: "owner" }, z.object({ id: z.string().min(1).max(64) }), async (input, { actor }) => {
  try {
    const name = await deleteBot(db(), input.id, actor);
    revalidatePath("/bots");
    return { ok: true, message: `Bot "${name}" deleted; its history is kept and its key is free again.` };
  } catch (err) {
    if (err instanceof ServiceError) throw new UserFacingError(err.message);
    throw err;
  }
});

/** Start, stop (cancelling open orders unless unticked), pause, resume: operators and owners. */
export const controlBotAction = authedAction({ role: "operator" }, z.object({ id: z.string().min(1).max(64), action: z.enum(botActions), cancelOrders: z.literal("on").optional() }), async (input, { actor }) => {
  try {
    const r = await controlBot(db(), input.id, input.action, { cancelOrders: input.cancelOrders === "on" }, actor);
    revalidatePath("/bots");
    return { ok: true, message: r.message };
  } catch (err) {
    if (err instanceof ServiceError) throw new UserFacingError(err.message);
    throw err;
  }
});

/** The kill switch: every bot stops and every open order is cancelled. Owners only. */
export const killSwitchAction = authedAction({ role: "owner" }, z.object({}), async (_input, { actor }) => {
  const r = await killSwitch(db(), actor);
  revalidatePath("/bots");
  return { ok: true, message: `Kill switch: ${r.bots} bot(s) stopping; every open order is being cancelled.` };
});

/** Cancel one open order of a running or paused bot (its runner does it): operators and owners. */
export const cancelOrderAction = authedAction({ role: "operator" }, z.object({ botId: z.string().min(1).max(64), orderId: z.string().min(1).max(64) }), async (input, { actor }) => {
  try {
    const r = await askCancelOrder(db(), input.botId, input.orderId, actor);
    return { ok: true, message: r.message };
  } catch (err) {
    if (err instanceof ServiceError) throw new UserFacingError(err.message);
    throw err;
  }
});
