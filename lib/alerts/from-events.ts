/**
 * Which bot events are alerts. Pure: the worker's pass over the event table
 * (./event-pass.ts) calls it for each new event.
 */
import { alertEvents, type AlertEvent, type AlertInput } from "./catalog";

export interface EventRow {
  id: number;
  botId: string | null;
  keyId: string | null;
  kind: string;
  message: string;
  data: string;
  createdAt: Date;
}

export interface Names {
  bots: Map<string, string>;
  /** key id → "label (…abcd)": the masked key id, never more of it */
  keys: Map<string, string>;
}

function alertEventsOf(e: EventRow, data: Record<string, unknown>): AlertEvent[] {
  switch (e.kind) {
    case "key.scopes-changed":
      return [...(data.withdrawEnabled ? (["key.withdraw_enabled"] as const) : []), ...(data.transferEnabled ? (["key.transfer_enabled"] as const) : []), ...(data.ipUnrestricted ? (["key.ip_unrestricted"] as const) : [])];
    case "key.rejected":
      return ["key.rejected"];
    case "key.foreign-orders":
      return ["key.foreign_orders"];
    case "bot.status":
      // a start failing again at its retry was said the first time
      return data.status === "error" ? (data.again ? [] : ["bot.error"]) : data.status === "stopped" ? ["bot.stopped"] : [];
    case "bot.stopped":
      return ["bot.stopped"];
    case "bot.stalled":
      return ["bot.stalled"];
    case "bot.recovered":
      return data.stalled ? ["bot.stalled"] : [];
    case "risk.refused":
      // the first refusal for want of funds since the bot's last order of that side: an underfunded DCA waits silently otherwise
      return data.unfundedStreak ? ["bot.unfunded"] : [];
    case "order.rejected":
      // the first since the exchange last accepted one of the bot's orders: a halted market or a changed filter, every minute otherwise
      return data.firstRejection ? ["bot.rejected"] : [];
    case "risk.stop":
    case "risk.kill-switch":
      return ["bot.risk_stop"];
    case "trade":
      return ["order.filled"];
    default:
      return [];
  }
}

export function alertsFromEvent(e: EventRow, names: Names): AlertInput[] {
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(e.data) as Record<string, unknown>;
  } catch {
    // an unreadable data field still gives the kind and the message
  }
  return alertEventsOf(e, data).map((event) => {
    const onKey = event.startsWith("key.");
    const subject =
      onKey && e.keyId
        ? { type: "key" as const, id: e.keyId, label: names.keys.get(e.keyId) ?? "a key" }
        : e.botId
          ? { type: "bot" as const, id: e.botId, label: names.bots.get(e.botId) ?? "a bot" }
          : { type: "system" as const, id: null, label: "Keyward" };
    const message = e.kind === "trade" && e.botId ? `${names.bots.get(e.botId) ?? "A bot"}: ${e.message}` : e.message;
    return {
      event,
      severity: alertEvents[event].severity,
      subject,
      message,
      link: subject.type === "bot" ? `/bots/${subject.id}` : subject.type === "key" ? "/keys" : "/",
      dedupeKey: `event:${e.id}:${event}`,
      occurredAt: e.createdAt,
    };
  });
}
