import { hasMessageSizeLimit } from "@tiffin/core";
import { testEvent, uniqueName, waitFor } from "@tiffin/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { GcpBroker } from "./gcp-broker.js";
import { usePubSubEmulator } from "./test-support/emulator.js";

const pubsub = usePubSubEmulator();
const brokers: GcpBroker[] = [];
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
});

describe("a message Pub/Sub refuses for good", () => {
  it("is reported as MESSAGE_REFUSED naming it, past the 10 MB the publisher declares; the next publish goes through", async () => {
    const broker = new GcpBroker(pubsub.config());
    brokers.push(broker);
    const spec = { topic: uniqueName("t"), subscription: uniqueName("s") };
    const seen: string[] = [];
    await broker.subscriber.subscribe(spec, async (message) => void seen.push(message.id));
    const huge = testEvent({ subject: "order-huge", data: { blob: "x".repeat(10 * 1024 * 1024) } });
    expect(hasMessageSizeLimit(broker.publisher) && broker.publisher.messageBytes(huge) > broker.publisher.maxMessageBytes).toBe(true);
    await expect(broker.publisher.publish(spec.topic, [huge])).rejects.toMatchObject({ code: "MESSAGE_REFUSED", transient: false, messageIds: [huge.id] });
    const fine = testEvent({ subject: "order-huge" });
    await broker.publisher.publish(spec.topic, [fine]);
    await waitFor(() => seen.includes(fine.id), { what: "the next message of the same ordering key" });
    expect(seen).toEqual([fine.id]);
  });
});
