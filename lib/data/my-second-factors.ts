import "server-only";
import { requireUser } from "../auth/request";
import { hasFreshAuth } from "../auth/sessions";
import { factorSummary, hasSecondFactor, type FactorSummary } from "../auth/two-factor/factors";
import { relyingParty } from "../auth/two-factor/passkeys";
import { policyCovers, twoFactorPolicy, type TwoFactorScope } from "../auth/two-factor/policy";
import { db } from "../db/client";

export interface MySecondFactorsDTO extends FactorSummary {
  policy: TwoFactorScope;
  /** the policy requires this user to keep a factor */
  required: boolean;
  fresh: boolean;
  isOwner: boolean;
  publicOrigin: string;
}

export async function mySecondFactors(): Promise<MySecondFactorsDTO> {
  const s = await requireUser();
  const [summary, policy] = await Promise.all([factorSummary(db(), s.user.id), twoFactorPolicy(db())]);
  return { ...summary, policy, required: policyCovers(policy, s.user.role), fresh: hasFreshAuth(s), isOwner: s.user.role === "owner", publicOrigin: relyingParty().origin };
}

/**
 * For the banner: an owner without a second factor, and what their password
 * alone controls (active keys, live bots). Null for everyone else.
 */
export async function passwordOnlyExposure(): Promise<{ keys: number; liveBots: number } | null> {
  const s = await requireUser();
  if (s.user.role !== "owner" || (await hasSecondFactor(db(), s.user.id))) return null;
  const [keys, liveBots] = await Promise.all([db().exchangeKey.count({ where: { status: "active" } }), db().bot.count({ where: { mode: "live", desiredState: { in: ["running", "paused"] } } })]);
  return { keys, liveBots };
}
