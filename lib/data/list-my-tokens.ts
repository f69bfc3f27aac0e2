import "server-only";
import { listApiTokens, type ApiTokenDTO } from "../auth/api-tokens";
import { requireUser } from "../auth/request";
import { db } from "../db/client";

export async function listMyTokens(): Promise<ApiTokenDTO[]> {
  const s = await requireUser();
  return listApiTokens(db(), s.user.id);
}
