/**
 * The alerts a channel can subscribe to (issue 12). Each has a severity and
 * whether a new channel receives it unless the owner unticks it.
 */
export const alertEvents = {
  "key.withdraw_enabled": { label: "A key gained withdraw permission", severity: "critical", byDefault: true },
  "key.transfer_enabled": { label: "A key gained transfer permission (between wallets or sub-accounts)", severity: "critical", byDefault: true },
  "key.ip_unrestricted": { label: "A key lost its IP restriction", severity: "warning", byDefault: true },
  "key.rejected": { label: "The exchange rejected a key", severity: "critical", byDefault: true },
  "key.expiring": { label: "A key expires in 7 days, then in 1 day", severity: "warning", byDefault: true },
  "key.foreign_orders": { label: "Another program trades on a bot's exchange account", severity: "critical", byDefault: true },
  "bot.error": { label: "A bot stopped with an error", severity: "critical", byDefault: true },
  "bot.stalled": { label: "A bot has not reached the exchange for 5 minutes (and when it does again)", severity: "warning", byDefault: true },
  "bot.unfunded": { label: "A bot's orders are refused for want of funds (once, until it can pay again)", severity: "warning", byDefault: true },
  "bot.rejected": { label: "The exchange rejects a bot's orders (once, until it accepts one again)", severity: "warning", byDefault: true },
  "bot.risk_stop": { label: "Risk stop: daily loss or the kill switch", severity: "critical", byDefault: true },
  "bot.stopped": { label: "A bot stopped", severity: "info", byDefault: true },
  "user.second_factor_removed": { label: "A user's second factor was removed", severity: "critical", byDefault: true },
  "worker.down": { label: "A worker stopped sending heartbeats (60 s)", severity: "critical", byDefault: true },
  "order.filled": { label: "An order filled (every fill)", severity: "info", byDefault: false },
  "daily.summary": { label: "Daily summary: PnL and balances", severity: "info", byDefault: true },
} as const;

export type AlertEvent = keyof typeof alertEvents;
export type Severity = "info" | "warning" | "critical";

export const alertEventNames = Object.keys(alertEvents) as AlertEvent[];
export const defaultAlertEvents = alertEventNames.filter((e) => alertEvents[e].byDefault);

/** What raising an alert needs; the same for every channel it goes to. */
export interface AlertInput {
  /** an AlertEvent, or "test" (one channel, on request) */
  event: AlertEvent | "test";
  severity: Severity;
  subject: { type: "key" | "bot" | "worker" | "user" | "system"; id: string | null; label: string };
  message: string;
  /** a path in Keyward, e.g. /bots/abc */
  link: string | null;
  /** stored once per channel under this key */
  dedupeKey: string;
  occurredAt: Date;
}
