"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { authedAction, withFormErrors } from "@/lib/auth/action";
import { addChannel, deleteChannel, sendTestAlert } from "@/lib/alerts/channels";
import { channelInputSchema } from "@/lib/alerts/channel-config";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";

// one ticked box arrives as a string, several as an array
const channelForm = z.preprocess((raw) => {
  const o = raw as Record<string, unknown>;
  return { ...o, events: o.events === undefined ? [] : [o.events].flat() };
}, channelInputSchema);

export const addChannelAction = authedAction({ role: "owner" }, channelForm, async (input, { actor }) => {
  const r = await withFormErrors(() => addChannel(db(), input, actor, env().ALERTS_PRIVATE_ADDRESSES));
  if ("error" in r) return r;
  revalidatePath("/settings/alerts");
  return { ok: true, message: `Channel "${input.name}" added. Send a test to check it.` };
});

const id = z.object({ id: z.string().min(1).max(64) });

export const deleteChannelAction = authedAction({ role: "owner" }, id, async (input, { actor }) => {
  const failed = await withFormErrors(() => deleteChannel(db(), input.id, actor));
  if (failed) return failed;
  revalidatePath("/settings/alerts");
  return { ok: true, message: "Channel deleted; its secret is destroyed." };
});

export const testChannelAction = authedAction({ role: "owner" }, id, async (input, { actor }) => {
  const failed = await withFormErrors(() => sendTestAlert(db(), input.id, actor));
  if (failed) return failed;
  revalidatePath("/settings/alerts");
  return { ok: true, message: "Test alert queued; its delivery shows below within a few seconds." };
});
