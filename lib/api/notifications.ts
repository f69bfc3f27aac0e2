/**
 * /api/v1/notifications/channels: alert channels, for owners (admin scope).
 * Answers never carry a channel's secret; webhook URLs are shown by origin only.
 */
import "server-only";
import { addChannel, deleteChannel, deliveryLog, listChannels, sendTestAlert } from "../alerts/channels";
import { channelInputSchema } from "../alerts/channel-config";
import { db } from "../db/client";
import { env } from "../env";
import { requireToken } from "./auth";
import { actorOf, json, mapError, parse, query } from "./handlers";
import { deliveriesQuery } from "./schemas";

export async function listChannelsApi(req: Request): Promise<Response> {
  await requireToken(req, "admin");
  return Response.json({ channels: await listChannels(db()) });
}

export async function addChannelApi(req: Request): Promise<Response> {
  const p = await requireToken(req, "admin");
  const input = parse(channelInputSchema, await json(req));
  const channel = await addChannel(db(), input, actorOf(p, req), env().ALERTS_PRIVATE_ADDRESSES).catch(mapError);
  return Response.json({ channel }, { status: 201 });
}

export async function deleteChannelApi(req: Request, id: string): Promise<Response> {
  const p = await requireToken(req, "admin");
  await deleteChannel(db(), id, actorOf(p, req)).catch(mapError);
  return Response.json({ deleted: true });
}

export async function testChannelApi(req: Request, id: string): Promise<Response> {
  const p = await requireToken(req, "admin");
  await sendTestAlert(db(), id, actorOf(p, req)).catch(mapError);
  return Response.json({ queued: true }, { status: 202 });
}

export async function deliveriesApi(req: Request, id: string): Promise<Response> {
  await requireToken(req, "admin");
  const q = query(req, deliveriesQuery);
  return Response.json({ deliveries: await deliveryLog(db(), id, q).catch(mapError) });
}
