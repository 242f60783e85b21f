import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { unique, until, useEmulator } from "./test-support/emulator-clients.js";

const clients = useEmulator({ secondMs: 20, pullWaitMs: 50 });

describe("message ordering", () => {
  it("delivers one ordering key in publish order, the next only after the previous is acknowledged", async () => {
    const { pubsub, subscriber } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [subscription] = await topic.createSubscription(unique("kitchen"), { enableMessageOrdering: true });
    const ordered = pubsub.topic(topic.name, { messageOrdering: true });
    for (const n of [1, 2, 3]) await ordered.publishMessage({ data: Buffer.from(`a${n}`), orderingKey: "order-a" });
    await ordered.publishMessage({ data: Buffer.from("b1"), orderingKey: "order-b" });
    const pull = async () =>
      ((await subscriber.pull({ subscription: subscription.name, maxMessages: 10, returnImmediately: true }))[0].receivedMessages ?? []).map(
        (r) => ({ ackId: r.ackId ?? "", text: Buffer.from(r.message?.data ?? []).toString(), key: r.message?.orderingKey }),
      );
    const first = await pull();
    expect(first.map((m) => m.text)).toEqual(["a1", "b1"]);
    expect(first[0]?.key).toBe("order-a");
    expect(await pull()).toEqual([]);
    await subscriber.acknowledge({ subscription: subscription.name, ackIds: [first[0]?.ackId ?? ""] });
    const second = await pull();
    expect(second.map((m) => m.text)).toEqual(["a2"]);
    // A nacked message comes back before its followers.
    await subscriber.modifyAckDeadline({ subscription: subscription.name, ackIds: [second[0]?.ackId ?? ""], ackDeadlineSeconds: 0 });
    const again = await pull();
    expect(again.map((m) => m.text)).toEqual(["a2"]);
    await subscriber.acknowledge({ subscription: subscription.name, ackIds: [again[0]?.ackId ?? ""] });
    expect((await pull()).map((m) => m.text)).toEqual(["a3"]);
  });

  it("hands the client library each key's messages in publish order, with a nacked one redelivered before its followers", async () => {
    const { pubsub } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [created] = await topic.createSubscription(unique("kitchen"), { enableMessageOrdering: true });
    const ordered = pubsub.topic(topic.name, { messageOrdering: true });
    const subscription = pubsub.subscription(created.name);
    const seen: string[] = [];
    let nacked = false;
    subscription.on("message", (message) => {
      const text = message.data.toString();
      seen.push(text);
      if (text === "k2" && !nacked) {
        nacked = true;
        message.nack();
      } else {
        message.ack();
      }
    });
    for (let n = 1; n <= 5; n += 1) void ordered.publishMessage({ data: Buffer.from(`k${n}`), orderingKey: "order-k" });
    await until(() => seen.length === 6, "6 deliveries");
    await subscription.close();
    expect(seen).toEqual(["k1", "k2", "k2", "k3", "k4", "k5"]);
  });

  it("delivers messages without an ordering key, or on a subscription without ordering, without waiting", async () => {
    const { pubsub, subscriber } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [unordered] = await topic.createSubscription(unique("analytics"));
    const ordered = pubsub.topic(topic.name, { messageOrdering: true });
    for (const n of [1, 2, 3]) await ordered.publishMessage({ data: Buffer.from(`a${n}`), orderingKey: "order-a" });
    const [response] = await subscriber.pull({ subscription: unordered.name, maxMessages: 10, returnImmediately: true });
    expect((response.receivedMessages ?? []).length).toBe(3);
  });
});
