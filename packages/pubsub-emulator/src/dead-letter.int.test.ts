import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import { PROJECT, unique, until, useEmulator } from "./test-support/emulator-clients.js";

const SECOND_MS = 20;
const clients = useEmulator({ secondMs: SECOND_MS, pullWaitMs: 50 });

describe("dead-letter policy", () => {
  it("counts delivery_attempt and forwards after max_delivery_attempts with the CloudPubSubDeadLetterSource attributes", async () => {
    const { pubsub, subscriber } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [deadTopic] = await pubsub.createTopic(unique("orders-dead"));
    const [deadSubscription] = await deadTopic.createSubscription(unique("dead"));
    const subscriptionId = unique("kitchen");
    const [subscription] = await topic.createSubscription(subscriptionId, {
      deadLetterPolicy: { deadLetterTopic: deadTopic.name, maxDeliveryAttempts: 5 },
    });
    const [messageId] = [await topic.publishMessage({ data: Buffer.from("poison"), attributes: { type: "order.placed" } })];
    const attempts: number[] = [];
    await until(async () => {
      const [response] = await subscriber.pull({ subscription: subscription.name, maxMessages: 1 });
      for (const received of response.receivedMessages ?? []) {
        attempts.push(received.deliveryAttempt ?? 0);
        await subscriber.modifyAckDeadline({ subscription: subscription.name, ackIds: [received.ackId ?? ""], ackDeadlineSeconds: 0 });
      }
      return attempts.length === 5;
    }, "5 deliveries");
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    let dead: { attributes?: Record<string, string> | null; data?: Uint8Array | string | null; messageId?: string | null }[] = [];
    await until(async () => {
      const [response] = await subscriber.pull({ subscription: deadSubscription.name, maxMessages: 10 });
      dead = (response.receivedMessages ?? []).map((r) => r.message ?? {});
      return dead.length === 1;
    }, "the forwarded message");
    expect(Buffer.from(dead[0]?.data ?? []).toString()).toBe("poison");
    expect(dead[0]?.messageId).not.toBe(messageId);
    expect(dead[0]?.attributes).toMatchObject({
      type: "order.placed",
      CloudPubSubDeadLetterSourceDeliveryCount: "5",
      CloudPubSubDeadLetterSourceSubscription: subscriptionId,
      CloudPubSubDeadLetterSourceSubscriptionProject: PROJECT,
    });
    expect(Number.isNaN(Date.parse(dead[0]?.attributes?.CloudPubSubDeadLetterSourceTopicPublishTime ?? ""))).toBe(false);
    const [rest] = await subscriber.pull({ subscription: subscription.name, maxMessages: 1, returnImmediately: true });
    expect(rest.receivedMessages ?? []).toEqual([]);
  });

  it("forwards a message whose ack deadline keeps expiring, and leaves delivery_attempt unset without a policy", async () => {
    const { pubsub, subscriber } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [deadTopic] = await pubsub.createTopic(unique("orders-dead"));
    const [deadSubscription] = await deadTopic.createSubscription(unique("dead"));
    const [withPolicy] = await topic.createSubscription(unique("kitchen"), {
      deadLetterPolicy: { deadLetterTopic: deadTopic.name, maxDeliveryAttempts: 5 },
    });
    const [withoutPolicy] = await topic.createSubscription(unique("analytics"));
    await topic.publishMessage({ data: Buffer.from("slow") });
    const [plain] = await subscriber.pull({ subscription: withoutPolicy.name, maxMessages: 1 });
    expect(plain.receivedMessages?.[0]?.deliveryAttempt ?? 0).toBe(0);
    let pulls = 0;
    await until(async () => {
      const [response] = await subscriber.pull({ subscription: withPolicy.name, maxMessages: 1 });
      pulls += (response.receivedMessages ?? []).length;
      return pulls === 5;
    }, "5 deliveries that expire");
    await until(async () => {
      const [response] = await subscriber.pull({ subscription: deadSubscription.name, maxMessages: 1 });
      return (response.receivedMessages ?? []).length === 1;
    }, "the forwarded message");
  });
});
