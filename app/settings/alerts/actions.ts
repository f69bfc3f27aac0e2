"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction, UserFacingError } from "@/lib/auth/action";
import type { ActionState } from "@/lib/auth/action-state";
import { addChannel, deleteChannel, sendTestAlert } from "@/lib/alerts/channels";
import { channelInputSchema } from "@/lib/alerts/channel-config";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ServiceError } from "@/lib/errors";
import { VaultNotReadyError } from "@/lib/vault/public-key";

async function userFacing<T>(fn: () => Promise<T>): Promise<T | ActionState> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ServiceError) return { error: err.message, fieldErrors: err.fieldErrors };
    if (err instanceof VaultNotReadyError) throw new UserFacingError(err.message);
    throw err;
  }
}

// one ticked box arrives as a string, several as an array
const channelForm = z.preprocess((raw) => {
  const o = raw as Record<string, unknown>;
  return { ...o, events: o.events === undefined ? [] : [o.events].flat() };
}, channelInputSchema);

export const addChannelAction = authedAction({ role: "owner" }, channelForm, async (input, { actor }) => {
  const r = await userFacing(() => addChannel(db(), input, actor, env().ALERTS_PRIVATE_ADDRESSES));
  if ("error" in r) return r;
  revalidatePath("/settings/alerts");
  return { ok: true, message: `Channel "${input.name}" added. Send a test to check it.` };
});

const id = z.object({ id: z.string().min(1).max(64) });

export const deleteChannelAction = authedAction({ role: "owner" }, id, async (input, { actor }) => {
  const r = await userFacing(() => deleteChannel(db(), input.id, actor));
  if (r && typeof r === "object" && "error" in r) return r;
  revalidatePath("/settings/alerts");
  return { ok: true, message: "Channel deleted; its secret is destroyed." };
});

export const testChannelAction = authedAction({ role: "owner" }, id, async (input, { actor }) => {
  const r = await userFacing(() => sendTestAlert(db(), input.id, actor));
  if (r && typeof r === "object" && "error" in r) return r;
  revalidatePath("/settings/alerts");
  return { ok: true, message: "Test alert queued; its delivery shows below within a few seconds." };
});
