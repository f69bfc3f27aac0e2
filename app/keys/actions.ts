"use server";

import { revalidatePath } from "next/cache";
import { redirect } from "next/navigation";
import { z } from "zod";
import { authedAction, UserFacingError, type ActionState } from "@/lib/auth/action";
import { appendAudit } from "@/lib/audit/append";
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { ServiceError } from "@/lib/errors";
import { deleteDemoKey, mintDemoKey } from "@/lib/exchange/demo/admin-client";
import { addKey, type AddKeyResult } from "@/lib/keys/add-key";
import { revokeKey } from "@/lib/keys/revoke-key";
import { RotationError, rotateBotKey } from "@/lib/keys/rotate-key";
import { askWorker } from "@/lib/keys/worker-command";
import { KeyVerificationError } from "@/lib/keys/verify";
import { VaultNotReadyError } from "@/lib/vault/public-key";
import { addKeyFormSchema, demoKeySchema, revokeKeySchema } from "@/lib/validation/keys";

const expected = [KeyVerificationError, VaultNotReadyError, ServiceError, RotationError];
async function userFacing<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (expected.some((E) => err instanceof E)) throw new UserFacingError((err as Error).message);
    throw err;
  }
}

function addResult(r: AddKeyResult): ActionState {
  if (!r.ok) return { danger: r.message, error: `Refused: this key can ${r.refused} funds.` };
  revalidatePath("/", "layout");
  return { ok: true, message: `Key "${r.key.label}" (${r.key.maskedKeyId}) verified and stored sealed.`, warnings: r.warnings };
}

export const addKeyAction = authedAction({ role: "owner", fresh: true }, addKeyFormSchema, async ({ rotateBotId, ...input }, { actor }) => {
  if (!rotateBotId) return addResult(await userFacing(() => addKey(db(), input, actor, env().demoExchangeUrl)));
  const r = await userFacing(() => rotateBotKey(db(), rotateBotId, input, actor, env().demoExchangeUrl));
  const state = addResult(r);
  if (r.ok) state.message = `${state.message} Bot "${r.key.bot?.name}" now uses it${r.oldKeyLabel ? `; the old key "${r.oldKeyLabel}" is revoked — delete it on the exchange too` : ""}.`;
  return state;
});

export const createDemoKeyAction = authedAction({ role: "owner", fresh: true }, demoKeySchema, async (input, { actor }) => {
  const demoUrl = env().demoExchangeUrl;
  if (!demoUrl) throw new UserFacingError("The demo exchange is off (DEMO_EXCHANGE=off).");
  const minted = await userFacing(() => mintDemoKey(demoUrl, { read: input.read === "on", trade: input.trade === "on", withdraw: input.withdraw === "on", transfer: input.transfer === "on", ipRestrict: input.ipRestrict === "on" }));
  const result = await userFacing(() => addKey(db(), { exchange: "demo", label: input.label, apiKey: minted.apiKey, secret: minted.secret, password: undefined, acceptWithdrawRisk: input.acceptWithdrawRisk || undefined, declared: undefined }, actor, demoUrl));
  if (!result.ok) await deleteDemoKey(demoUrl, minted.apiKey); // nothing half-made stays behind
  return addResult(result);
});

// Both end on /keys?revoked=<id>, which reports what happened (from the audit trail) and the steps left to do.
export const revokeKeyAction = authedAction({ role: "owner" }, revokeKeySchema, async (input, { actor }) => {
  await userFacing(() => revokeKey(db(), input.id, { cancelOrders: input.cancelOrders === "on" || input.cancelOrders === "true" }, actor));
  revalidatePath("/", "layout");
  redirect(`/keys?revoked=${encodeURIComponent(input.id)}`);
});

export const compromisedAction = authedAction({ role: "owner" }, z.object({ id: z.string().min(1).max(64) }), async (input, { actor }) => {
  const r = await userFacing(() => revokeKey(db(), input.id, { cancelOrders: true, reason: "Marked as possibly compromised" }, actor));
  await appendAudit(db(), { actor, action: "key.compromised", ip: actor.ip, target: { type: "key", id: input.id }, detail: { label: r.label, cancelReport: r.cancelReport } });
  revalidatePath("/", "layout");
  redirect(`/keys?revoked=${encodeURIComponent(input.id)}`);
});

export const recheckKeyAction = authedAction({ role: "operator" }, z.object({ id: z.string().min(1).max(64) }), async (input, { actor }) => {
  const key = await db().exchangeKey.findUnique({ where: { id: input.id } });
  if (!key || key.status === "revoked") throw new UserFacingError("That key does not exist or is revoked.");
  const result = await askWorker(db(), { kind: "recheck-key", keyId: key.id, createdById: actor.id }, 15_000);
  if (result === null) return { error: "The worker did not answer within 15 s. Is it running (see /api/health)? Try again." };
  revalidatePath("/", "layout");
  return { ok: true, message: `Re-checked "${key.label}" at the exchange: ${result}.` };
});
