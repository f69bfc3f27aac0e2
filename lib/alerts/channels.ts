/**
 * Alert channels as owners manage them (Settings → Alerts and
 * /api/v1/notifications/channels): add (the secret sealed at once, never
 * stored or shown in the clear), list, delete (secret destroyed, pending
 * alerts canceled), send a test, read the delivery log. Every change audited.
 */
import { randomUUID } from "node:crypto";
import { appendAudit } from "../audit/append";
import type { Actor } from "../auth/users";
import type { Db } from "../db/client";
import { InvalidInputError, NotFoundError } from "../errors";
import { seal } from "../vault/seal";
import { primaryPublicKey } from "../vault/public-key";
import { describeTarget, splitChannel, type ChannelInput } from "./channel-config";
import { cancelPending } from "./outbox";
import { raiseAlert } from "./raise";
import type { PrivateAddressPolicy } from "./safe-address";

export interface ChannelDto {
  id: string;
  name: string;
  type: string;
  events: string[];
  target: string;
  hasSecret: boolean;
  createdAt: string;
  /** the latest delivery: what a list shows at a glance */
  lastDelivery: { status: string; at: string; lastError: string | null } | null;
}

export interface DeliveryDto {
  id: string;
  event: string;
  status: string;
  attempts: number;
  digest: boolean;
  subject: string;
  message: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  nextAttemptAt: string | null;
}

export async function addChannel(db: Db, input: ChannelInput, actor: Actor, policy: PrivateAddressPolicy): Promise<ChannelDto> {
  const { config, secret, problem, field } = splitChannel(input, policy);
  if (problem) throw new InvalidInputError(problem, { [field ?? (input.type === "email" ? "host" : input.type === "telegram" ? "apiBase" : "url")]: [problem] });
  const id = randomUUID();
  const pub = secret ? await primaryPublicKey(db) : null;
  await db.alertChannel.create({
    data: {
      id, name: input.name, type: input.type, events: JSON.stringify(input.events), config: JSON.stringify(config), createdById: actor.id,
      ...(secret && pub ? { secretSealed: new Uint8Array(seal(pub, secret, { table: "AlertChannel", column: "secretSealed", rowId: id })), vaultKeyVersion: pub.version } : {}),
    },
  });
  await appendAudit(db, { actor, action: "alerts.channel.add", ip: actor.ip, target: { type: "alert-channel", id }, detail: { name: input.name, type: input.type, events: input.events, target: describeTarget(input.type, config as Record<string, unknown>) } });
  return (await listChannels(db)).find((c) => c.id === id)!;
}

export async function listChannels(db: Db): Promise<ChannelDto[]> {
  const rows = await db.alertChannel.findMany({ where: { deletedAt: null }, orderBy: { createdAt: "asc" }, select: { id: true, name: true, type: true, events: true, config: true, vaultKeyVersion: true, createdAt: true } });
  return Promise.all(
    rows.map(async (c) => {
      const last = await db.alert.findFirst({ where: { channelId: c.id }, orderBy: { createdAt: "desc" }, select: { status: true, createdAt: true, sentAt: true, lastError: true } });
      return {
        id: c.id, name: c.name, type: c.type, events: JSON.parse(c.events) as string[], target: describeTarget(c.type, JSON.parse(c.config) as Record<string, unknown>),
        hasSecret: c.vaultKeyVersion !== null, createdAt: c.createdAt.toISOString(),
        lastDelivery: last ? { status: last.status, at: (last.sentAt ?? last.createdAt).toISOString(), lastError: last.lastError } : null,
      };
    }),
  );
}

async function liveChannel(db: Db, id: string) {
  const c = await db.alertChannel.findFirst({ where: { id, deletedAt: null }, select: { id: true, name: true } });
  if (!c) throw new NotFoundError("That alert channel does not exist.");
  return c;
}

export async function deleteChannel(db: Db, id: string, actor: Actor): Promise<void> {
  const c = await liveChannel(db, id);
  await db.alertChannel.update({ where: { id }, data: { deletedAt: new Date(), secretSealed: null, vaultKeyVersion: null } });
  await cancelPending(db, id);
  await appendAudit(db, { actor, action: "alerts.channel.delete", ip: actor.ip, target: { type: "alert-channel", id }, detail: { name: c.name } });
}

/** Queues a test alert for this channel only; the worker sends it within a second or two. */
export async function sendTestAlert(db: Db, id: string, actor: Actor): Promise<void> {
  const c = await liveChannel(db, id);
  const now = new Date();
  await raiseAlert(db, { event: "test", severity: "info", subject: { type: "system", id: null, label: `channel "${c.name}"` }, message: `A test alert from Keyward, sent by ${actor.label}. If you can read this, the channel works.`, link: "/settings/alerts", dedupeKey: `test:${randomUUID()}`, occurredAt: now }, { now, channelIds: [id] });
  await appendAudit(db, { actor, action: "alerts.channel.test", ip: actor.ip, target: { type: "alert-channel", id }, detail: { name: c.name } });
}

export async function deliveryLog(db: Db, id: string, opts: { limit?: number; before?: string } = {}): Promise<DeliveryDto[]> {
  await liveChannel(db, id);
  const rows = await db.alert.findMany({
    where: { channelId: id, ...(opts.before ? { createdAt: { lt: new Date(opts.before) } } : {}) }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: opts.limit ?? 50,
  });
  return rows.map((a) => ({
    id: a.id, event: a.event, status: a.status, attempts: a.attempts, digest: a.digest, subject: a.subjectLabel, message: a.message, lastError: a.lastError,
    createdAt: a.createdAt.toISOString(), sentAt: a.sentAt?.toISOString() ?? null, nextAttemptAt: a.status === "pending" ? a.nextAttemptAt.toISOString() : null,
  }));
}
