import { describe, expect, it } from "vitest";
import { eventForExchangeStatus, InvalidTransitionError, isFinal, orderStatuses, transition, type OrderEvent } from "@/lib/bots/order-status";

describe("order status transition table", () => {
  it("the usual life of an order", () => {
    expect(transition("pending", "accepted")).toBe("open");
    expect(transition("open", "partially-filled")).toBe("open");
    expect(transition("open", "filled")).toBe("closed");
    expect(transition("open", "canceled")).toBe("canceled");
    expect(transition("pending", "rejected")).toBe("rejected");
  });

  it("the odd rows real exchanges need", () => {
    expect(transition("canceled", "filled")).toBe("closed"); // a fill that arrives after the cancel
    expect(transition("expired", "filled")).toBe("closed");
    expect(transition("open", "cancel-failed")).toBe("open"); // a cancel request that failed
    expect(transition("pending", "filled")).toBe("closed"); // first seen at a lookup, already filled
    expect(transition("pending", "canceled")).toBe("canceled");
    expect(transition("pending", "not-found")).toBe("rejected"); // never placed
    expect(transition("rejected", "accepted")).toBe("open"); // found after it was declared never placed
  });

  it("a pair that is not in the table is an error, never applied silently", () => {
    const illegal: [string, OrderEvent][] = [["closed", "canceled"], ["closed", "accepted"], ["canceled", "accepted"], ["open", "not-found"], ["open", "rejected"], ["expired", "accepted"], ["unknown", "accepted"]];
    for (const [from, event] of illegal) expect(() => transition(from, event), `${from} × ${event}`).toThrow(InvalidTransitionError);
  });

  it("final statuses stay final except for late fills (and a rejected order that turns up)", () => {
    const events: OrderEvent[] = ["accepted", "partially-filled", "filled", "canceled", "expired", "rejected", "not-found", "cancel-failed"];
    for (const from of orderStatuses.filter((s) => isFinal(s) && s !== "rejected")) {
      for (const event of events) {
        let to: string | undefined;
        try {
          to = transition(from, event);
        } catch {
          continue;
        }
        expect(to === from || (event === "filled" && to === "closed"), `${from} × ${event} → ${to}`).toBe(true);
      }
    }
  });

  it("maps ccxt's order statuses to events", () => {
    expect(eventForExchangeStatus("open", "0", "1")).toBe("accepted");
    expect(eventForExchangeStatus("open", "0.5", "1")).toBe("partially-filled");
    expect(eventForExchangeStatus("closed", "1", "1")).toBe("filled");
    expect(eventForExchangeStatus("canceled", "0.2", "1")).toBe("canceled");
    expect(eventForExchangeStatus("expired", "0.2", "1")).toBe("expired");
  });
});
