import { describe, expect, it } from "vitest";
import { encodeCloudEvent } from "@tiffin/core";
import { testEvent } from "@tiffin/core/testing";
import { PACKED_ATTRIBUTE, packAttributes, receivedAttributes, unpackAttributes } from "./message-attributes.js";

const full = testEvent({
  subject: "order-1",
  correlationid: "corr",
  causationid: "cause",
  tenant: "acme",
  traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
  tracestate: "a=b",
});

describe("message attribute packing", () => {
  it("sends up to 9 attributes as they are, leaving room for a dead-letter record", () => {
    const attributes = encodeCloudEvent(testEvent({ subject: "order-1" })).attributes;
    const packed = packAttributes(attributes);
    expect(Object.keys(packed)).toEqual(Object.keys(attributes));
    expect(unpackAttributes(receivedAttributes(packed))).toEqual(attributes);
  });

  it("folds attributes beyond the budget into one JSON attribute and restores them", () => {
    const attributes = encodeCloudEvent(full).attributes;
    const packed = packAttributes(attributes);
    expect(Object.keys(packed)).toHaveLength(9);
    expect(packed.type?.StringValue).toBe(full.type);
    expect(Object.keys(JSON.parse(packed[PACKED_ATTRIBUTE]?.StringValue ?? "{}") as object)).toEqual([
      "causationid",
      "tenant",
      "traceparent",
      "tracestate",
    ]);
    expect(unpackAttributes(receivedAttributes(packed))).toEqual(attributes);
  });

  it("packs empty values, which SQS would reject as attributes", () => {
    const packed = packAttributes({ id: "1", tenant: "" });
    expect(packed.tenant).toBeUndefined();
    expect(unpackAttributes(receivedAttributes(packed))).toEqual({ id: "1", tenant: "" });
  });

  it("treats a broken packed attribute as an unparseable message", () => {
    expect(() => unpackAttributes({ id: "1", [PACKED_ATTRIBUTE]: "{oops" })).toThrow(expect.objectContaining({ code: "MESSAGE_UNPARSEABLE" }));
  });
});
