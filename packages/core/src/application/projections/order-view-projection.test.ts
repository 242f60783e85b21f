import { describe, expect, it } from "vitest";
import { type AnyDomainEvent, domainEvent } from "../../domain/events.js";
import { orderEventId } from "../../messaging/domain-event-envelope.js";
import type { OrderView } from "../../ports/read-models.js";
import { applyToView, initialView } from "./order-view-projection.js";

const EUR = (amount: number) => ({ amount, currency: "EUR" });
const placed = domainEvent("order.placed", "o1", "2026-01-01T12:00:00.000Z", {
  customerId: "c1",
  restaurantId: "r1",
  lines: [],
  total: EUR(2500),
  menuVersion: 1,
  deliveryAddress: { lat: 52.5, lng: 13.4 },
});

const at = (second: number) => `2026-01-01T12:00:${String(second).padStart(2, "0")}.000Z`;

/** The events of a delivered order with their message ids, in the order they happened. */
const history: [AnyDomainEvent, string][] = [
  [domainEvent("payment.captured", "o1", at(1), { amount: EUR(2500), paymentId: "p1" }), "o1:saga:captured"],
  [domainEvent("order.confirmed", "o1", at(2), { restaurantId: "r1" }), orderEventId("o1", 2, 0)],
  [domainEvent("order.preparing", "o1", at(2), { restaurantId: "r1" }), orderEventId("o1", 2, 1)],
  [domainEvent("courier.assigned", "o1", at(3), { courierId: "k1", offerId: "f1" }), orderEventId("o1", 3, 0)],
  [domainEvent("order.ready", "o1", at(4), { restaurantId: "r1" }), orderEventId("o1", 4, 0)],
  [domainEvent("order.picked_up", "o1", at(5), { courierId: "k1" }), orderEventId("o1", 5, 0)],
  [domainEvent("order.delivered", "o1", at(6), { courierId: "k1" }), orderEventId("o1", 6, 0)],
  [domainEvent("payout.paid", "o1", at(7), { party: "courier", partyId: "k1", amount: EUR(300), payoutId: "x" }), "o1:saga:payout"],
];

function applyAll(events: readonly [AnyDomainEvent, string][]): OrderView {
  return events.reduce((view, [event, id]) => applyToView(view, event, id) ?? view, initialView(placed, orderEventId("o1", 1, 0)));
}

const essence = (v: OrderView) => ({
  status: v.status,
  timeline: v.timeline,
  courierId: v.courierId,
  paymentStatus: v.paymentStatus,
  version: v.version,
  updatedAt: v.updatedAt,
});

describe("order view projection", () => {
  it("follows an order from placed to delivered with a timeline of times", () => {
    const view = applyAll(history);
    expect(view.status).toBe("delivered");
    expect(view.timeline.map((t) => t.status)).toEqual(["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"]);
    expect(view.timeline.at(-1)?.at).toBe(at(6));
    expect(view.courierId).toBe("k1");
    expect(view.paymentStatus).toBe("paid_out");
    expect(view.version).toBe(6);
  });

  it("ends in the same state whatever order the events arrive in, and ignores repeats", () => {
    const inOrder = essence(applyAll(history));
    const reversed = essence(applyAll([...history].reverse()));
    const twice = essence(applyAll(history.flatMap((h) => [h, h])));
    expect(reversed).toEqual(inOrder);
    expect(twice).toEqual(inOrder);
  });

  it("fills in the statuses a later one implies, so the timeline never grows a gap behind it (events of one change out of order)", () => {
    const preparing = applyAll([history[2]!]);
    expect(preparing.timeline).toEqual([
      { status: "placed", at: "2026-01-01T12:00:00.000Z" },
      { status: "confirmed", at: at(2) },
      { status: "preparing", at: at(2) },
    ]);
    // A status implied by a later one (picked up, by delivered at 9) takes its own, earlier time when its event arrives.
    const pickedUpFirst = applyAll([[domainEvent("order.delivered", "o1", at(9), { courierId: "k1" }), orderEventId("o1", 6, 0)], history[5]!]);
    expect(pickedUpFirst.timeline.map((t) => t.status)).toEqual(["placed", "confirmed", "preparing", "ready", "picked_up", "delivered"]);
    expect(pickedUpFirst.timeline.find((t) => t.status === "picked_up")?.at).toBe(at(5));
  });

  it("never rewinds a cancelled order when a late confirmation arrives", () => {
    const view = applyAll([
      [domainEvent("order.cancelled", "o1", at(3), { reason: "customer_cancelled", from: "confirmed" }), orderEventId("o1", 3, 0)],
      [domainEvent("payment.refunded", "o1", at(4), { amount: EUR(2500), paymentId: "r" }), "o1:saga:refund"],
      [domainEvent("order.confirmed", "o1", at(2), { restaurantId: "r1" }), orderEventId("o1", 2, 0)],
      [domainEvent("payment.captured", "o1", at(1), { amount: EUR(2500), paymentId: "p1" }), "o1:saga:captured"],
    ]);
    expect(view.status).toBe("cancelled");
    expect(view.timeline.map((t) => t.status)).toEqual(["placed", "confirmed", "cancelled"]);
    expect(view.paymentStatus).toBe("refunded");
  });

  it("reports an already applied message as no change", () => {
    const view = initialView(placed, orderEventId("o1", 1, 0));
    expect(applyToView(view, placed, orderEventId("o1", 1, 0))).toBeNull();
  });
});
