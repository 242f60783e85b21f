import { compileFilter } from "@tiffin/pubsub-emulator";
import { describe, expect, it } from "vitest";
import { REPLAY_ATTRIBUTE } from "./message-attributes.js";
import { subscriptionFilter } from "./subscription-filter.js";

describe("subscriptionFilter", () => {
  it("keeps the subscription's event types and replays meant for it, and drops replays for others", () => {
    const { filter, typesInFilter } = subscriptionFilter("kitchen", ["payment.captured", "order.cancelled"]);
    expect(typesInFilter).toBe(true);
    const matches = compileFilter(filter);
    expect(matches({ type: "payment.captured" })).toBe(true);
    expect(matches({ type: "order.placed" })).toBe(false);
    expect(matches({ type: "order.cancelled", [REPLAY_ATTRIBUTE]: "kitchen" })).toBe(true);
    expect(matches({ type: "order.cancelled", [REPLAY_ATTRIBUTE]: "projections" })).toBe(false);
  });

  it("leaves a type list past the service's 256 bytes to the consumer", () => {
    const types = Array.from({ length: 12 }, (_, n) => `order.event-number-${n}`);
    const { filter, typesInFilter } = subscriptionFilter("projections", types);
    expect(typesInFilter).toBe(false);
    expect(Buffer.byteLength(filter)).toBeLessThanOrEqual(256);
    expect(compileFilter(filter)({ type: "anything" })).toBe(true);
  });
});
