/**
 * A delivery pass: claim what is due, send each message, record the outcome
 * (the delivery log is the outbox itself). The worker runs it every second
 * with the channels' secrets; the web runs it only while no worker is alive,
 * for channels that have no secret (lib/alerts/worker-down.ts).
 */
import type { Db } from "../db/client";
import type { ChannelConfig } from "./channel-config";
import { composeMessage } from "./message";
import { claimDue, markFailed, markSent } from "./outbox";
import type { PrivateAddressPolicy } from "./safe-address";
import { sendMessage } from "./send";

export interface DeliveryOptions {
  /** who sends (a worker id, "web") */
  who: string;
  policy: PrivateAddressPolicy;
  baseUrl?: string;
  now?: () => Date;
  /** opens a channel's sealed secret (the worker); absent: only channels without one are sent */
  openSecret?: (channelId: string, sealed: Uint8Array) => string;
}

export async function deliverDue(db: Db, opts: DeliveryOptions): Promise<{ sent: number; failed: number }> {
  const now = opts.now ?? (() => new Date());
  const { claimer, batches } = await claimDue(db, opts.who, now(), { secretless: !opts.openSecret });
  let sent = 0;
  let failed = 0;
  const channels = new Map((await db.alertChannel.findMany({ where: { id: { in: [...new Set(batches.map((b) => b.channelId))] } }, omit: { secretSealed: false } })).map((c) => [c.id, c]));
  await Promise.all(
    batches.map(async (batch) => {
      const channel = channels.get(batch.channelId)!;
      try {
        const secret = channel.secretSealed && opts.openSecret ? opts.openSecret(channel.id, channel.secretSealed) : undefined;
        await sendMessage({ type: channel.type, config: JSON.parse(channel.config) as ChannelConfig }, composeMessage(batch.alerts, batch.digest, opts.baseUrl), secret, opts.policy);
        await markSent(db, batch, claimer, now());
        sent += batch.alerts.length;
      } catch (err) {
        await markFailed(db, batch, claimer, now(), err instanceof Error ? err.message : "Sending failed.");
        failed += batch.alerts.length;
      }
    }),
  );
  return { sent, failed };
}
