/**
 * The one place an order's status changes: an explicit transition table,
 * status × event → status (DESIGN.md "Bots"; modelled on NautilusTrader's
 * OrderStatus::transition). A pair that is not in the table is an error the
 * caller logs and keeps; it is never applied silently.
 *
 *   pending   the row is written (client order id first); the exchange has not confirmed it
 *   open      the exchange has it, resting (maybe partly filled)
 *   closed    completely filled
 *   canceled  canceled (maybe partly filled)
 *   expired   the exchange ended it (a market order the book could not fill, IOC, …)
 *   rejected  the exchange refused it, or it was never placed (3 "no such order" answers)
 *
 * The odd rows real exchanges need are here on purpose:
 *  - a fill that arrives after a cancel or an expiry:            canceled/expired × filled → closed
 *  - a cancel request that failed:                               open × cancel-failed → open
 *  - an order first seen in a lookup or at reconciliation enters straight into the exchange's state:
 *                                                                pending × filled/canceled/expired → …
 *  - an order found at the exchange after it was declared never placed (it was, after all):
 *                                                                rejected × accepted/filled/… → its state
 */
import { Decimal } from "decimal.js";

export const orderStatuses = ["pending", "open", "closed", "canceled", "rejected", "expired"] as const;
export type OrderStatus = (typeof orderStatuses)[number];

export type OrderEvent =
  /** the exchange confirmed the order and it rests */
  | "accepted"
  /** part of it filled; more may come */
  | "partially-filled"
  /** all of it filled */
  | "filled"
  | "canceled"
  | "expired"
  /** the exchange refused it */
  | "rejected"
  /** looked up three times, the exchange has no such order: it was never placed */
  | "not-found"
  /** a cancel request was refused (e.g. the order was already gone); what the lookup says follows */
  | "cancel-failed";

const table: Record<OrderStatus, Partial<Record<OrderEvent, OrderStatus>>> = {
  pending: { accepted: "open", "partially-filled": "open", filled: "closed", canceled: "canceled", expired: "expired", rejected: "rejected", "not-found": "rejected", "cancel-failed": "pending" },
  open: { accepted: "open", "partially-filled": "open", filled: "closed", canceled: "canceled", expired: "expired", "cancel-failed": "open" },
  closed: { filled: "closed", "partially-filled": "closed" },
  canceled: { canceled: "canceled", "partially-filled": "canceled", filled: "closed", "cancel-failed": "canceled" },
  expired: { expired: "expired", "partially-filled": "expired", filled: "closed" },
  rejected: { rejected: "rejected", "not-found": "rejected", accepted: "open", "partially-filled": "open", filled: "closed", canceled: "canceled", expired: "expired" },
};

export class InvalidTransitionError extends Error {
  override name = "InvalidTransitionError";
  constructor(
    readonly from: string,
    readonly event: OrderEvent,
  ) {
    super(`order status ${from} has no transition for "${event}"`);
  }
}

/** The status after `event`; throws InvalidTransitionError for a pair not in the table. */
export function transition(from: string, event: OrderEvent): OrderStatus {
  const to = (table as Record<string, Partial<Record<OrderEvent, OrderStatus>>>)[from]?.[event];
  if (!to) throw new InvalidTransitionError(from, event);
  return to;
}

export const finalStatuses: readonly OrderStatus[] = ["closed", "canceled", "rejected", "expired"];
export const liveStatuses: readonly OrderStatus[] = ["pending", "open"];

export function isFinal(status: string): boolean {
  return (finalStatuses as readonly string[]).includes(status);
}

/** ccxt's unified order status, as one of our events ("open" with a fill is a partial fill). */
export function eventForExchangeStatus(status: string | undefined, filled: string, amount: string): OrderEvent {
  const someFilled = new Decimal(filled || "0").gt(0);
  switch (status) {
    case "closed":
      return "filled";
    case "canceled":
      return "canceled";
    case "expired":
      return "expired";
    case "rejected":
      return "rejected";
    default:
      return someFilled && !new Decimal(filled).eq(amount || "0") ? "partially-filled" : someFilled ? "filled" : "accepted";
  }
}
