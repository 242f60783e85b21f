import { Buffer } from "node:buffer";
import { status } from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { collect, unique, until, useEmulator } from "./test-support/emulator-clients.js";

// One emulated second is 20 ms here, so the service's 10 s minimum ack deadline passes in 200 ms.
const SECOND_MS = 20;
const clients = useEmulator({ secondMs: SECOND_MS, pullWaitMs: 50 });

const data = (text: string): Buffer => Buffer.from(text);

describe("delivery, acknowledgement and ack deadlines", () => {
  it("delivers through StreamingPull to the client library and removes acknowledged messages", async () => {
    const { pubsub, subscriber } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [subscription] = await topic.createSubscription(unique("kitchen"));
    const received = collect(subscription);
    const ids = await Promise.all(["a", "b", "c"].map((text) => topic.publishMessage({ data: data(text), attributes: { n: text } })));
    await until(() => received.length === 3, "3 messages");
    expect(received.map((m) => m.id).sort()).toEqual([...ids].sort());
    expect(received.map((m) => m.attributes.n).sort()).toEqual(["a", "b", "c"]);
    expect(received.every((m) => m.deliveryAttempt === 0)).toBe(true);
    await subscription.close();
    await until(async () => {
      const [response] = await subscriber.pull({ subscription: subscription.name, maxMessages: 10, returnImmediately: true });
      return (response.receivedMessages ?? []).length === 0;
    }, "an empty backlog");
  });

  it("redelivers a pulled message once its ack deadline passes, and not before an extended one passes", async () => {
    const { pubsub, subscriber } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [subscription] = await topic.createSubscription(unique("kitchen"), { ackDeadlineSeconds: 10 });
    await topic.publishMessage({ data: data("late") });
    const pull = async () =>
      (await subscriber.pull({ subscription: subscription.name, maxMessages: 1, returnImmediately: true }))[0].receivedMessages ?? [];
    const [first] = await pull();
    expect(first?.message?.data?.toString()).toBe("late");
    const started = performance.now();
    await subscriber.modifyAckDeadline({ subscription: subscription.name, ackIds: [first?.ackId ?? ""], ackDeadlineSeconds: 20 });
    expect(await pull()).toEqual([]);
    let again: Awaited<ReturnType<typeof pull>> = [];
    await until(async () => (again = await pull()).length === 1, "the redelivery");
    // Extended to 20 emulated seconds: it cannot come back before they passed.
    expect(performance.now() - started).toBeGreaterThanOrEqual(20 * SECOND_MS - 2);
    expect(again[0]?.message?.messageId).toBe(first?.message?.messageId);
    expect(again[0]?.ackId).not.toBe(first?.ackId);
    // The superseded ack id no longer settles the message; the current one does.
    await subscriber.acknowledge({ subscription: subscription.name, ackIds: [first?.ackId ?? ""] });
    await subscriber.modifyAckDeadline({ subscription: subscription.name, ackIds: [again[0]?.ackId ?? ""], ackDeadlineSeconds: 0 });
    let third: Awaited<ReturnType<typeof pull>> = [];
    await until(async () => (third = await pull()).length === 1, "the delivery after the nack");
    await subscriber.acknowledge({ subscription: subscription.name, ackIds: [third[0]?.ackId ?? ""] });
    await new Promise((resolve) => setTimeout(resolve, 12 * SECOND_MS));
    expect(await pull()).toEqual([]);
  });

  it("redelivers a nacked message (ModifyAckDeadline 0) at once without a retry policy", async () => {
    const { pubsub } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [subscription] = await topic.createSubscription(unique("kitchen"));
    const received = collect(subscription, (m) => (received.filter((r) => r.id === m.id).length < 3 ? "nack" : "ack"));
    await topic.publishMessage({ data: data("again") });
    await until(() => received.length === 3, "3 deliveries");
    await subscription.close();
    expect(new Set(received.map((m) => m.id)).size).toBe(1);
  });

  it("waits the retry policy's exponential backoff between redeliveries", async () => {
    const { pubsub } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [subscription] = await topic.createSubscription(unique("kitchen"), {
      retryPolicy: { minimumBackoff: { seconds: 5 }, maximumBackoff: { seconds: 600 } },
    });
    const times: number[] = [];
    const received = collect(subscription, () => {
      times.push(performance.now());
      return times.length < 4 ? "nack" : "ack";
    });
    await topic.publishMessage({ data: data("backoff") });
    await until(() => received.length === 4, "4 deliveries");
    await subscription.close();
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
    // 5 s, 10 s, 20 s emulated.
    gaps.forEach((gap, n) => expect(gap).toBeGreaterThanOrEqual(5 * 2 ** n * SECOND_MS - 2));
  });

  it("refuses ack deadlines outside 0-600 s", async () => {
    const { pubsub, subscriber } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [subscription] = await topic.createSubscription(unique("kitchen"));
    await expect(
      subscriber.modifyAckDeadline({ subscription: subscription.name, ackIds: ["x"], ackDeadlineSeconds: 601 }),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
  });

  it("stops sending on a stream at max_outstanding_messages until messages are acknowledged", async () => {
    const { pubsub, subscriber } = clients();
    const [topic] = await pubsub.createTopic(unique("orders"));
    const [subscription] = await topic.createSubscription(unique("kitchen"));
    await Promise.all(Array.from({ length: 5 }, (_, n) => topic.publishMessage({ data: data(`m${n}`) })));
    const stream = subscriber.streamingPull();
    const ackIds: string[] = [];
    stream.on("data", (response: { receivedMessages: { ackId: string }[] }) => {
      for (const received of response.receivedMessages) ackIds.push(received.ackId);
    });
    stream.on("error", () => undefined);
    stream.write({ subscription: subscription.name, streamAckDeadlineSeconds: 600, maxOutstandingMessages: 2 });
    await until(() => ackIds.length === 2, "2 messages");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ackIds.length).toBe(2);
    stream.write({ ackIds: ackIds.slice(0, 2) });
    await until(() => ackIds.length === 4, "2 more after the acks");
    stream.write({ ackIds: ackIds.slice(2, 4) });
    await until(() => ackIds.length === 5, "the last one");
    stream.end();
  });
});
