/** The owners' setting "require two-factor sign-in for: owners / operators / everyone" (default owners). */
import "server-only";
import type { Db } from "../../db/client";
import { atLeast } from "../roles";

export const twoFactorScopes = ["owners", "operators", "everyone"] as const;
export type TwoFactorScope = (typeof twoFactorScopes)[number];
const settingKey = "twoFactorRequiredFor";

export async function twoFactorPolicy(db: Pick<Db, "setting">): Promise<TwoFactorScope> {
  const row = await db.setting.findUnique({ where: { key: settingKey } });
  return twoFactorScopes.find((s) => s === row?.value) ?? "owners";
}

export async function setTwoFactorPolicy(db: Pick<Db, "setting">, scope: TwoFactorScope): Promise<void> {
  await db.setting.upsert({ where: { key: settingKey }, create: { key: settingKey, value: scope }, update: { value: scope } });
}

export function policyCovers(scope: TwoFactorScope, role: string): boolean {
  return scope === "everyone" || atLeast(role, scope === "owners" ? "owner" : "operator");
}
