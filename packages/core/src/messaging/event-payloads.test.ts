import { describe, expect, it } from "vitest";
import { samplePlacement, TEST_META } from "../testing/index.js";
import { decideDelivery } from "./delivery-policy.js";
import { domainEventOf, orderEventId, toCloudEvent } from "./domain-event-envelope.js";
import { resolveSubscriptionSpec } from "./subscription-defaults.js";

describe("a consumed event's payload", () => {
  const placement = samplePlacement();
  const placed = toCloudEvent(placement.events[0]!, orderEventId(placement.order.id, 1, 0), TEST_META);

  it("reads an event whose payload carries what its handlers read", () => {
    expect(domainEventOf(placed)?.type).toBe("order.placed");
  });

  it.each([
    ["no total", { ...placed.data, total: undefined }, "total must be money"],
    ["a string amount", { ...placed.data, total: { amount: "12", currency: "EUR" } }, "total must be money"],
    ["no lines and no address", { ...placed.data, lines: "many", deliveryAddress: null }, "lines must be a list of objects; deliveryAddress must be a position"],
    ["not an object", "order", "the payload must be a JSON object"],
  ])("refuses %s as permanent, so it is dead-lettered on its first delivery", (_case, data, problem) => {
    const poisoned = { ...placed, data };
    let thrown: unknown;
    try {
      domainEventOf(poisoned);
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).toContain(problem);
    const verdict = decideDelivery({ kind: "failed", error: thrown }, 1, resolveSubscriptionSpec({ topic: "t", subscription: "payment-saga" }));
    expect(verdict).toMatchObject({ action: "dead-letter", reason: expect.stringMatching(/^rejected: /) });
  });
});
