/** What pages and the API see of a bot. */
export interface BotDTO {
  id: string;
  name: string;
  key: { id: string; label: string; maskedKeyId: string; status: string } | null;
  exchange: string;
  symbol: string;
  strategy: string;
  params: Record<string, unknown>;
  mode: string;
  desiredState: string;
  status: string;
  statusMessage: string | null;
  maxOrderNotional: string;
  maxDailyLoss: string;
  maxOpenOrders: number;
  createdAt: string;
}

interface BotRow {
  id: string;
  name: string;
  exchange: string;
  symbol: string;
  strategy: string;
  params: string;
  mode: string;
  desiredState: string;
  status: string;
  statusMessage: string | null;
  maxOrderNotional: string;
  maxDailyLoss: string;
  maxOpenOrders: number;
  createdAt: Date;
  key?: { id: string; label: string; maskedKeyId: string; status: string } | null;
}

export function toBotDTO(b: BotRow): BotDTO {
  return {
    id: b.id,
    name: b.name,
    key: b.key ? { id: b.key.id, label: b.key.label, maskedKeyId: b.key.maskedKeyId, status: b.key.status } : null,
    exchange: b.exchange,
    symbol: b.symbol,
    strategy: b.strategy,
    params: JSON.parse(b.params) as Record<string, unknown>,
    mode: b.mode,
    desiredState: b.desiredState,
    status: b.status,
    statusMessage: b.statusMessage,
    maxOrderNotional: b.maxOrderNotional,
    maxDailyLoss: b.maxDailyLoss,
    maxOpenOrders: b.maxOpenOrders,
    createdAt: b.createdAt.toISOString(),
  };
}

export const botKeySelect = { select: { id: true, label: true, maskedKeyId: true, status: true } } as const;
