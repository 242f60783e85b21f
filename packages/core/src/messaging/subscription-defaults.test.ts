import { describe, expect, it } from "vitest";
import { redeliveryDelayMs, resolveSubscriptionSpec } from "./subscription-defaults.js";

const retry = { minDelayMs: 100, maxDelayMs: 1_000 };

describe("redeliveryDelayMs", () => {
  it("doubles per attempt with jitter in the upper half, capped at the maximum", () => {
    expect([1, 2, 3, 4, 5].map((attempt) => redeliveryDelayMs(attempt, retry, () => 0))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((attempt) => redeliveryDelayMs(attempt, retry, () => 1))).toEqual([100, 200, 400, 800, 1_000]);
  });
});

describe("resolveSubscriptionSpec", () => {
  it("fills in the documented defaults", () => {
    expect(resolveSubscriptionSpec({ topic: "t", subscription: "s" })).toMatchObject({
      maxDeliveries: 5,
      concurrency: 10,
      retry: { minDelayMs: 1_000, maxDelayMs: 60_000 },
    });
  });

  it("rejects settings no broker could honour, naming the subscription", () => {
    expect(() => resolveSubscriptionSpec({ topic: "t", subscription: "kitchen", maxDeliveries: 0 })).toThrow(/kitchen.*maxDeliveries/);
    expect(() => resolveSubscriptionSpec({ topic: "t", subscription: "s", retry: { minDelayMs: 5, maxDelayMs: 1 } })).toThrow(/retry/);
  });
});
