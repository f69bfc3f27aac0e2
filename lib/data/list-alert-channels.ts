import "server-only";
import { deliveryLog, listChannels, type ChannelDto, type DeliveryDto } from "../alerts/channels";
import { requireUser } from "../auth/request";
import { db } from "../db/client";

/** Owners only: channels with their latest deliveries. */
export async function alertChannelsWithLog(): Promise<{ channel: ChannelDto; deliveries: DeliveryDto[] }[]> {
  await requireUser("owner");
  const channels = await listChannels(db());
  return Promise.all(channels.map(async (channel) => ({ channel, deliveries: await deliveryLog(db(), channel.id, { limit: 20 }) })));
}
