import { describe, expect, it } from "vitest";
import { assertCloudEventsConformant } from "./cloud-events-sdk.js";
import { testEvent } from "./contract-context.js";

describe("assertCloudEventsConformant (CloudEvents SDK)", () => {
  it("accepts a Tiffin event with every extension, unicode and trace context", () => {
    expect(() =>
      assertCloudEventsConformant(
        testEvent({ subject: "order-ü-🍜", correlationid: "c", causationid: "d", tenant: "t", traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", tracestate: "a=b" }),
      ),
    ).not.toThrow();
  });

  it("refuses a time that is not RFC 3339, an empty source and an empty id", () => {
    expect(() => assertCloudEventsConformant(testEvent({ time: "yesterday" }))).toThrow(/time/);
    expect(() => assertCloudEventsConformant(testEvent({ source: "" }))).toThrow(/not a valid CloudEvent/);
    expect(() => assertCloudEventsConformant(testEvent({ id: "" }))).toThrow(/CloudEvent/);
  });
});
