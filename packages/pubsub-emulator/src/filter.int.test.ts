import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { unique, useEmulator } from "./test-support/emulator-clients.js";

const clients = useEmulator({ pullWaitMs: 50 });

describe("subscription filters", () => {
  it("keeps only matching messages in the subscription; the others are acknowledged for it at publish", async () => {
    const { pubsub, subscriber } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [filtered] = await topic.createSubscription(unique("kitchen"), {
      filter: 'attributes.type = "payment.captured" OR hasPrefix(attributes.type, "order.c")',
    });
    const [all] = await topic.createSubscription(unique("analytics"));
    for (const type of ["order.placed", "payment.captured", "order.confirmed", "order.cancelled", "courier.assigned"]) {
      await topic.publishMessage({ data: Buffer.from(type), attributes: { type } });
    }
    const texts = async (name: string) =>
      ((await subscriber.pull({ subscription: name, maxMessages: 10, returnImmediately: true }))[0].receivedMessages ?? [])
        .map((r) => Buffer.from(r.message?.data ?? []).toString())
        .sort();
    expect(await texts(filtered.name)).toEqual(["order.cancelled", "order.confirmed", "payment.captured"]);
    expect((await texts(all.name)).length).toBe(5);
  });
});
