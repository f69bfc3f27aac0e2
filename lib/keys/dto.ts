/** What pages and the API may see of a key: never a credential, only its id masked to the first and last 4 characters. */
export interface KeyDTO {
  id: string;
  label: string;
  exchange: string;
  maskedKeyId: string;
  read: boolean;
  trade: boolean;
  withdraw: boolean;
  /** may move funds between wallets or sub-accounts (outside every per-bot limit) */
  transfer: boolean;
  /** the owner typed the label to accept a key that can withdraw or transfer */
  withdrawRiskAccepted: boolean;
  ipRestricted: boolean;
  ipList: string[];
  expiresAt: string | null;
  scopeSource: string;
  verifiedAt: string | null;
  status: string;
  statusMessage: string | null;
  bot: { id: string; name: string } | null;
  createdAt: string;
  revokedAt: string | null;
}

interface KeyRow {
  id: string;
  label: string;
  exchange: string;
  maskedKeyId: string;
  canRead: boolean;
  canTrade: boolean;
  canWithdraw: boolean;
  canTransfer: boolean;
  withdrawRiskAcceptedAt: Date | null;
  ipRestricted: boolean;
  ipList: string;
  expiresAt: Date | null;
  scopeSource: string;
  verifiedAt: Date | null;
  status: string;
  statusMessage: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  bot?: { id: string; name: string } | null;
}

export function toKeyDTO(k: KeyRow): KeyDTO {
  return {
    id: k.id,
    label: k.label,
    exchange: k.exchange,
    maskedKeyId: k.maskedKeyId,
    read: k.canRead,
    trade: k.canTrade,
    withdraw: k.canWithdraw,
    transfer: k.canTransfer,
    withdrawRiskAccepted: !!k.withdrawRiskAcceptedAt,
    ipRestricted: k.ipRestricted,
    ipList: JSON.parse(k.ipList) as string[],
    expiresAt: k.expiresAt?.toISOString() ?? null,
    scopeSource: k.scopeSource,
    verifiedAt: k.verifiedAt?.toISOString() ?? null,
    status: k.status,
    statusMessage: k.statusMessage,
    bot: k.bot ?? null,
    createdAt: k.createdAt.toISOString(),
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

/** Active keys that deserve a warning banner. */
export function keyWarnings(keys: Pick<KeyDTO, "status" | "withdraw" | "transfer" | "ipRestricted">[]): { withdraw: number; transfer: number; unrestricted: number } {
  const active = keys.filter((k) => k.status === "active");
  return { withdraw: active.filter((k) => k.withdraw).length, transfer: active.filter((k) => k.transfer && !k.withdraw).length, unrestricted: active.filter((k) => !k.ipRestricted).length };
}
