import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./index.js";

describe("fault settings", () => {
  it("default to behaving providers and kitchens, and production's saga timings", () => {
    expect(loadConfig({}).faults).toEqual({
      providers: { failureRate: 0, hangRate: 0, lostReplyRate: 0, lateReplyRate: 0, lateReplyMs: 10_000, outageEveryMs: 0, outageMs: 0 },
      paymentDeclineRate: 0,
      kitchenRejectRate: 0,
      sagaStalledAfterMs: 60_000,
      recoveryIntervalMs: 30_000,
      reconciliationGraceMs: 300_000,
      reconciliationIntervalMs: 60_000,
    });
  });

  it("reads every rate and timing", () => {
    const faults = loadConfig({
      TIFFIN_PAYMENT_FAILURE_RATE: "0.1",
      TIFFIN_PAYMENT_HANG_RATE: "0.02",
      TIFFIN_PAYMENT_LOST_REPLY_RATE: "0.05",
      TIFFIN_PAYMENT_LATE_REPLY_RATE: "0.03",
      TIFFIN_PAYMENT_LATE_REPLY_MS: "7000",
      TIFFIN_PAYMENT_DECLINE_RATE: "0.04",
      TIFFIN_KITCHEN_REJECT_RATE: "0.2",
      TIFFIN_SAGA_STALLED_AFTER_MS: "30000",
      TIFFIN_RECOVERY_INTERVAL_MS: "5000",
      TIFFIN_PAYMENT_OUTAGE_EVERY_MS: "60000",
      TIFFIN_PAYMENT_OUTAGE_MS: "15000",
      TIFFIN_RECONCILIATION_GRACE_MS: "20000",
      TIFFIN_RECONCILIATION_INTERVAL_MS: "4000",
    }).faults;
    expect(faults).toEqual({
      providers: { failureRate: 0.1, hangRate: 0.02, lostReplyRate: 0.05, lateReplyRate: 0.03, lateReplyMs: 7000, outageEveryMs: 60_000, outageMs: 15_000 },
      paymentDeclineRate: 0.04,
      kitchenRejectRate: 0.2,
      sagaStalledAfterMs: 30_000,
      recoveryIntervalMs: 5000,
      reconciliationGraceMs: 20_000,
      reconciliationIntervalMs: 4000,
    });
  });

  it.each([
    ["TIFFIN_PAYMENT_HANG_RATE", "2", "0..1"],
    ["TIFFIN_PAYMENT_LOST_REPLY_RATE", "-0.1", "0..1"],
    ["TIFFIN_PAYMENT_LATE_REPLY_RATE", "often", "0..1"],
    ["TIFFIN_PAYMENT_DECLINE_RATE", "1.01", "0..1"],
    ["TIFFIN_KITCHEN_REJECT_RATE", "50%", "0..1"],
    ["TIFFIN_PAYMENT_LATE_REPLY_MS", "-1", "0..3600000"],
    ["TIFFIN_SAGA_STALLED_AFTER_MS", "500", "1000..3600000"],
    ["TIFFIN_RECOVERY_INTERVAL_MS", "1.5", "100..3600000"],
    ["TIFFIN_PAYMENT_OUTAGE_MS", "-5", "0..3600000"],
    ["TIFFIN_RECONCILIATION_GRACE_MS", "10", "1000..86400000"],
  ])("stops on %s=%s with one line naming it", (variable, value, range) => {
    let error: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as ConfigError).message).toContain(range);
  });
});
