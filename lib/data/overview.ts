import "server-only";
import { requireUser } from "../auth/request";
import { db } from "../db/client";
import { activeKeyWarnings } from "./list-keys";

export interface Overview {
  activeKeys: number;
  withdrawKeys: number;
  unrestrictedKeys: number;
  bots: number;
  runningBots: number;
  pausedBots: number;
  recentWarnings: { id: number; at: Date; message: string }[];
}

export async function overview(): Promise<Overview> {
  await requireUser("viewer");
  const [activeKeys, warnings, bots, runningBots, pausedBots, events] = await Promise.all([
    db().exchangeKey.count({ where: { status: "active" } }),
    activeKeyWarnings(),
    db().bot.count({ where: { deletedAt: null } }),
    db().bot.count({ where: { deletedAt: null, status: "running" } }),
    db().bot.count({ where: { deletedAt: null, status: "paused" } }),
    db().botEvent.findMany({ where: { level: { in: ["warn", "error"] } }, orderBy: { id: "desc" }, take: 5 }),
  ]);
  return { activeKeys, withdrawKeys: warnings.withdraw, unrestrictedKeys: warnings.unrestricted, bots, runningBots, pausedBots, recentWarnings: events.map((e) => ({ id: e.id, at: e.createdAt, message: e.message })) };
}
