import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { PROJECT, subscriptionPath, topicPath, unique, useEmulator } from "./test-support/emulator-clients.js";

const clients = useEmulator();

describe("topics and subscriptions", () => {
  it("creates, gets, lists and deletes topics, answering ALREADY_EXISTS and NOT_FOUND as the service does", async () => {
    const { pubsub } = clients();
    const name = unique("orders");
    const [topic] = await pubsub.createTopic(name);
    expect(topic.name).toBe(topicPath(name));
    await expect(pubsub.createTopic(name)).rejects.toMatchObject({ code: status.ALREADY_EXISTS });
    const [exists] = await pubsub.topic(name).exists();
    expect(exists).toBe(true);
    const [topics] = await pubsub.getTopics();
    expect(topics.map((t) => t.name)).toContain(topicPath(name));
    await pubsub.topic(name).delete();
    await expect(pubsub.topic(name).getMetadata()).rejects.toMatchObject({ code: status.NOT_FOUND });
    await expect(pubsub.topic(name).delete()).rejects.toMatchObject({ code: status.NOT_FOUND });
  });

  it("refuses resource names the service refuses", async () => {
    const { pubsub } = clients();
    await expect(pubsub.createTopic("ab")).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(pubsub.createTopic("goog-topic")).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(pubsub.createTopic("9starts-with-digit")).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it("creates subscriptions with the service's defaults and lists them under the project and the topic", async () => {
    const { pubsub } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const id = unique("kitchen");
    await topic.createSubscription(id);
    const [metadata] = await pubsub.subscription(id).getMetadata();
    expect(metadata).toMatchObject({ name: subscriptionPath(id), topic: topic.name, ackDeadlineSeconds: 10, enableMessageOrdering: false });
    const [all] = await pubsub.getSubscriptions();
    expect(all.map((s) => s.name)).toContain(subscriptionPath(id));
    const [ofTopic] = await topic.getSubscriptions();
    expect(ofTopic.map((s) => s.name)).toEqual([subscriptionPath(id)]);
    await expect(topic.createSubscription(id)).rejects.toMatchObject({ code: status.ALREADY_EXISTS });
    await pubsub.subscription(id).delete();
    await expect(pubsub.subscription(id).getMetadata()).rejects.toMatchObject({ code: status.NOT_FOUND });
    expect(PROJECT).toBeTruthy();
  });

  it("refuses a subscription to a missing topic and settings out of the service's ranges", async () => {
    const { pubsub } = clients();
    await expect(pubsub.topic(unique("missing")).createSubscription(unique("s"))).rejects.toMatchObject({ code: status.NOT_FOUND });
    const [topic] = await pubsub.createTopic(unique("orders"));
    const bad = [
      { ackDeadlineSeconds: 5 },
      { ackDeadlineSeconds: 601 },
      { deadLetterPolicy: { deadLetterTopic: topic.name, maxDeliveryAttempts: 4 } },
      { deadLetterPolicy: { deadLetterTopic: topic.name, maxDeliveryAttempts: 101 } },
      { retryPolicy: { minimumBackoff: { seconds: 30 }, maximumBackoff: { seconds: 10 } } },
      { retryPolicy: { minimumBackoff: { seconds: 0 }, maximumBackoff: { seconds: 601 } } },
      { filter: 'attributes.type = "a" AND attributes.x = "b" OR attributes.y = "c"' },
      { filter: "attributes.type = unquoted" },
    ];
    for (const options of bad) {
      await expect(topic.createSubscription(unique("s"), options), JSON.stringify(options)).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
      });
    }
  });

  it("keeps a subscription when its topic is deleted, reporting the topic as _deleted-topic_", async () => {
    const { pubsub } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const id = unique("kitchen");
    await topic.createSubscription(id);
    await topic.delete();
    const [metadata] = await pubsub.subscription(id).getMetadata();
    expect(metadata.topic).toBe("_deleted-topic_");
  });

  it("updates a subscription's mutable settings and refuses to change its filter", async () => {
    const { pubsub } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [subscription] = await topic.createSubscription(unique("kitchen"), { filter: 'attributes.type = "a"' });
    const [updated] = await subscription.setMetadata({ ackDeadlineSeconds: 30, retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 5 } } });
    expect(updated).toMatchObject({ ackDeadlineSeconds: 30, filter: 'attributes.type = "a"' });
    await expect(subscription.setMetadata({ filter: "" })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });
});
