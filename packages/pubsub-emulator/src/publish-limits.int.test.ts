import { Buffer } from "node:buffer";
import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { unique, useEmulator } from "./test-support/emulator-clients.js";

const clients = useEmulator();

const attributes = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, n) => [`k${n}`, "v"]));

describe("publish limits (100 attributes, 256-byte keys, 1,024-byte values, 10 MB messages)", () => {
  it("accepts messages at each limit and refuses one past it with INVALID_ARGUMENT", async () => {
    const { pubsub, publisher } = clients();
    const [topic] = await pubsub.createTopic(unique("limits"));
    const publish = (message: { data?: Buffer; attributes?: Record<string, string> }) =>
      publisher.publish({ topic: topic.name, messages: [message] });
    const data = Buffer.from("x");
    await expect(publish({ data, attributes: attributes(100) })).resolves.toBeDefined();
    await expect(publish({ data, attributes: attributes(101) })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(publish({ data, attributes: { ["k".repeat(256)]: "v" } })).resolves.toBeDefined();
    await expect(publish({ data, attributes: { ["k".repeat(257)]: "v" } })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(publish({ data, attributes: { k: "é".repeat(512) } })).resolves.toBeDefined();
    await expect(publish({ data, attributes: { k: "é".repeat(512) + "x" } })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(publish({ data: Buffer.alloc(0), attributes: {} })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(publish({ data: Buffer.alloc(10 * 1024 * 1024 + 1) })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it("carries a 10 MB message intact to a subscriber", async () => {
    const { pubsub, subscriber } = clients();
    const [topic] = await pubsub.createTopic(unique("big"));
    const [subscription] = await topic.createSubscription(unique("big"));
    const data = Buffer.alloc(10 * 1024 * 1024 - 16, 7);
    await topic.publishMessage({ data, attributes: { size: "max" } });
    const [response] = await subscriber.pull({ subscription: subscription.name, maxMessages: 1 });
    const received = response.receivedMessages?.[0]?.message;
    expect(Buffer.from(received?.data ?? []).equals(data)).toBe(true);
    expect(received?.attributes).toEqual({ size: "max" });
  });

  it("answers NOT_FOUND for a topic that does not exist", async () => {
    const { publisher } = clients();
    await expect(
      publisher.publish({ topic: `projects/x-project/topics/${unique("missing")}`, messages: [{ data: Buffer.from("x") }] }),
    ).rejects.toMatchObject({ code: status.NOT_FOUND });
  });
});
