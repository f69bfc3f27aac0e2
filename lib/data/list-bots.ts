import "server-only";
import { requireUser } from "../auth/request";
import { botKeySelect, toBotDTO, type BotDTO } from "../bot-settings/dto";
import { db } from "../db/client";

export async function listBots(): Promise<BotDTO[]> {
  await requireUser("viewer");
  const rows = await db().bot.findMany({ where: { deletedAt: null }, orderBy: { createdAt: "desc" }, include: { key: botKeySelect } });
  return rows.map(toBotDTO);
}

/** Active keys that can trade and are not bound to a bot: the ones a new bot may take. */
export async function freeKeys(): Promise<{ id: string; label: string; exchange: string; maskedKeyId: string }[]> {
  await requireUser("viewer");
  return db().exchangeKey.findMany({ where: { status: "active", canTrade: true, bot: null }, select: { id: true, label: true, exchange: true, maskedKeyId: true }, orderBy: { createdAt: "desc" } });
}
