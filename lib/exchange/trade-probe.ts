/**
 * Where an exchange has no endpoint that reports a key's permissions, its
 * trade right is probed instead of taken on the user's word: cancelling an
 * order id that cannot exist answers "no such order" to a key that may trade
 * and "no permission" to one that may not (the method OctoBot's key checker
 * uses). Only for exchanges whose documented error responses tell the two
 * apart; each decision is tested against those documented bodies.
 */
import type { Exchange } from "ccxt";

export type ProbeDecision = "can-trade" | "cannot-trade" | null;

interface Probe {
  /** the exchange's documented answer body → the decision (null: neither, so nothing is concluded) */
  decide(body: string): ProbeDecision;
}

function jsonIn(text: string): Record<string, unknown> | null {
  const start = text.indexOf("{");
  if (start < 0) return null;
  try {
    return JSON.parse(text.slice(start)) as Record<string, unknown>;
  } catch {
    return null;
  }
}

export const tradeProbes: Record<string, Probe> = {
  // Binance.US error codes: -2011 CANCEL_REJECTED "Unknown order sent." (the key may trade, the order
  // does not exist); -2015 REJECTED_MBX_KEY "Invalid API-key, IP, or permissions for action." — the key
  // and address already passed a signed read, so here it means no trade permission.
  binanceus: {
    decide(body) {
      const code = jsonIn(body)?.code;
      return code === -2011 ? "can-trade" : code === -2015 ? "cannot-trade" : null;
    },
  },
};

export function hasTradeProbe(exchangeId: string): boolean {
  return exchangeId in tradeProbes;
}

/** Cancels an order id that cannot exist on the first market and reads the answer. */
export async function probeTrade(ex: Exchange, exchangeId: string): Promise<ProbeDecision> {
  const probe = tradeProbes[exchangeId];
  if (!probe) return null;
  const symbol = Object.values(ex.markets ?? {}).find((m) => m?.active !== false && m?.spot)?.symbol;
  if (!symbol) return null;
  try {
    await ex.cancelOrder("1", symbol); // ids start far above 1 on every exchange; a cancel of it cannot succeed
    return null; // an answer without an error concludes nothing
  } catch (err) {
    return probe.decide(err instanceof Error ? err.message : String(err));
  }
}
