import { describe, expect, it } from "vitest";
import { DEAD_LETTER_REASON, decideDelivery } from "./delivery-policy.js";
import { resolveSubscriptionSpec } from "./subscription-defaults.js";

const spec = resolveSubscriptionSpec({
  topic: "t",
  subscription: "kitchen",
  maxDeliveries: 3,
  retry: { minDelayMs: 100, maxDelayMs: 1_000 },
});
const transient = new Error("database unavailable");
const permanent = Object.assign(new Error("unknown restaurant"), { transient: false });
const failed = (error: unknown) => ({ kind: "failed", error }) as const;

describe("decideDelivery", () => {
  it("acknowledges a handled message on any attempt", () => {
    expect(decideDelivery({ kind: "handled" }, 1, spec)).toEqual({ action: "ack" });
    expect(decideDelivery({ kind: "handled" }, 3, spec)).toEqual({ action: "ack" });
  });

  it("retries a transient failure before maxDeliveries with the subscription's growing delay", () => {
    const delays = [1, 2].map((attempt) => decideDelivery(failed(transient), attempt, spec, () => 1));
    expect(delays).toEqual([
      { action: "retry", delayMs: 100, reason: "attempt 1 of 3 failed: database unavailable" },
      { action: "retry", delayMs: 200, reason: "attempt 2 of 3 failed: database unavailable" },
    ]);
    // Equal jitter keeps at least half of the nominal delay.
    expect(decideDelivery(failed(transient), 2, spec, () => 0)).toMatchObject({ delayMs: 100 });
  });

  it("rounds delays up to whole milliseconds", () => {
    expect(decideDelivery(failed(transient), 1, spec, () => 0.333)).toMatchObject({ delayMs: 67 });
  });

  it("treats an error that says nothing about transience as transient", () => {
    expect(decideDelivery(failed("a thrown string"), 1, spec, () => 0)).toMatchObject({ action: "retry" });
  });

  it("dead-letters the last allowed delivery with the attempt count", () => {
    expect(decideDelivery(failed(transient), 3, spec)).toEqual({
      action: "dead-letter",
      reason: "failed 3 deliveries: database unavailable",
    });
    // A broker may count one more receive than allowed (a crash after receive); it still dead-letters.
    expect(decideDelivery(failed(transient), 4, spec)).toMatchObject({ reason: "failed 4 deliveries: database unavailable" });
  });

  it("dead-letters a permanent error at once", () => {
    expect(decideDelivery(failed(permanent), 1, spec)).toEqual({ action: "dead-letter", reason: "rejected: unknown restaurant" });
  });

  it("dead-letters an unparseable message at once", () => {
    expect(decideDelivery({ kind: "unparseable", error: new Error("body is not JSON") }, 1, spec)).toEqual({
      action: "dead-letter",
      reason: "unparseable: body is not JSON",
    });
  });

  it("writes every dead-letter reason in the documented format", () => {
    const reasons = [
      decideDelivery({ kind: "unparseable", error: new Error("x") }, 1, spec),
      decideDelivery(failed(permanent), 1, spec),
      decideDelivery(failed(transient), 3, spec),
    ].map((verdict) => (verdict.action === "dead-letter" ? verdict.reason : ""));
    for (const reason of reasons) expect(reason).toMatch(DEAD_LETTER_REASON);
    expect("Error: x").not.toMatch(DEAD_LETTER_REASON);
  });
});
