"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { appendAudit } from "@/lib/audit/append";
import { authedAction } from "@/lib/auth/action";
import { db } from "@/lib/db/client";
import { askWorker } from "@/lib/keys/worker-command";

/** The worker (which holds the private key) adds a key version, rewraps every stored secret, retires the old version. */
export const rotateVaultAction = authedAction({ role: "owner", fresh: true }, z.object({}), async (_input, { actor }) => {
  const result = await askWorker(db(), { kind: "vault-rotate", createdById: actor.id }, 60_000);
  if (result === null) return { error: "The worker did not answer within 60 s, so the vault was not rotated. Is it running (see /api/health)?" };
  if (result.startsWith("failed")) return { error: `Rotation ${result}` };
  await appendAudit(db(), { actor, action: "vault.rotate", ip: actor.ip, detail: { result } });
  revalidatePath("/settings/vault");
  return { ok: true, message: `Rotated: ${result}. Back up the vault key file again.` };
});
