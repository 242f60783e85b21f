import { describe, expect, it } from "vitest";
import { nextAction } from "./kitchen.js";

describe("nextAction", () => {
  it("accepts (or rejects) only paid placed orders, and readies what is cooking", () => {
    expect(nextAction({ status: "placed", paymentStatus: "pending" }, false)).toBeNull();
    expect(nextAction({ status: "placed", paymentStatus: "captured" }, false)).toBe("accept");
    expect(nextAction({ status: "placed", paymentStatus: "captured" }, true)).toBe("reject");
    expect(nextAction({ status: "preparing", paymentStatus: "captured" }, true)).toBe("ready");
    expect(nextAction({ status: "ready", paymentStatus: "captured" }, false)).toBeNull();
  });
});
