import { Buffer } from "node:buffer";
import { expect, it } from "vitest";
import { encodeCloudEvent } from "../../messaging/cloud-event-codec.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import { testEvent, type ContractContext } from "./contract-context.js";

const KIB = 1024;

/** Size as the suite counts it: UTF-8 JSON body plus attribute names and values. */
const encodedSize = (event: CloudEvent): number => {
  const { attributes, body } = encodeCloudEvent(event);
  const names = Object.entries(attributes).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  return names + Buffer.byteLength(body);
};

/** Envelope guarantees: every CloudEvents attribute and large payloads survive the round trip. */
export function envelopeContract(ctx: ContractContext): void {
  const timeout = ctx.testTimeoutMs;

  it("keeps every CloudEvents attribute, trace context and unicode intact", async () => {
    const { publisher, subscriber } = ctx.broker();
    const spec = ctx.spec();
    const event = testEvent({
      type: "payment.captured",
      time: "2026-11-22T04:30:00.123Z",
      subject: "order-ü-🍜-東京",
      correlationid: "corr-1",
      causationid: "cause-1",
      tenant: "tenant-ß",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      tracestate: "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
      data: { note: "naïve café 🍜 — 東京", amount: { minor: 1250, currency: "EUR" }, list: [1, "two", null, true] },
    });
    const received: CloudEvent[] = [];
    await subscriber.subscribe(spec, async (message) => void received.push(message));
    await publisher.publish(spec.topic, [event]);
    await ctx.until(() => received.length === 1, "the delivery");
    expect(received[0]).toEqual(event);
  }, timeout);

  const size = Math.min(256 * KIB, ctx.features.maxPayloadBytes);
  it.skipIf(size < 250 * KIB)(`carries a ${(size / KIB).toFixed(1)} KiB message (256 KiB or the broker's limit)`, async () => {
    const { publisher, subscriber } = ctx.broker();
    const spec = ctx.spec();
    const empty = testEvent({ subject: "order-big", data: { blob: "" } });
    const event = { ...empty, data: { blob: "é".repeat(Math.floor((size - encodedSize(empty)) / 4)) } };
    const padded = { ...event, data: { blob: event.data.blob + "x".repeat(size - encodedSize(event)) } };
    expect(encodedSize(padded)).toBe(size);
    const received: CloudEvent[] = [];
    await subscriber.subscribe(spec, async (message) => void received.push(message));
    await publisher.publish(spec.topic, [padded]);
    await ctx.until(() => received.length === 1, "the delivery");
    expect(received[0]).toEqual(padded);
  }, timeout);
}
