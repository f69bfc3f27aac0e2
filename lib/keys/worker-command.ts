/**
 * Asks the worker (the only process that may open a key) to do something and
 * waits, bounded, for its answer in the BotCommand table.
 */
import "server-only";
import type { Db } from "../db/client";

export interface CommandRequest {
  kind: "cancel-all" | "recheck-key" | "vault-rotate";
  keyId?: string;
  botId?: string;
  payload?: object;
  createdById: string | null;
}

/** The worker's result, or null if no worker answered within `waitMs` (the command is then withdrawn). */
export async function askWorker(db: Db, req: CommandRequest, waitMs: number): Promise<string | null> {
  const cmd = await db.botCommand.create({ data: { kind: req.kind, keyId: req.keyId ?? null, botId: req.botId ?? null, payload: JSON.stringify(req.payload ?? {}), createdById: req.createdById } });
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const row = await db.botCommand.findUniqueOrThrow({ where: { id: cmd.id } });
    if (row.processedAt) return row.result ?? "done";
    await new Promise((r) => setTimeout(r, 250));
  }
  // Withdraw it unless a worker claimed it meanwhile (then its late answer is still recorded).
  await db.botCommand.updateMany({ where: { id: cmd.id, claimedBy: null }, data: { processedAt: new Date(), result: "withdrawn: no worker answered in time" } });
  return null;
}
