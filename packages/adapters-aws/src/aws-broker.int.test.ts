import { ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, describe, expect, it } from "vitest";
import type { CloudEvent } from "@tiffin/core";
import { testEvent, uniqueName, waitFor } from "@tiffin/core/testing";
import { AwsBroker, ensureTopology } from "./aws-broker.js";
import { MAX_ATTRIBUTES } from "./message-attributes.js";
import { useFauxqs } from "./test-support/fauxqs.js";

const fauxqs = useFauxqs();
const brokers: AwsBroker[] = [];
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
});
const open = (): AwsBroker => {
  const broker = new AwsBroker(fauxqs.config());
  brokers.push(broker);
  return broker;
};

/** The type attribute of every message waiting in a queue, read without consuming (fauxqs inspection). */
const waitingTypes = (queue: string): string[] =>
  (fauxqs.server().inspectQueue(queue)?.messages.ready ?? []).map((m) => m.messageAttributes.type?.StringValue ?? "");

describe("aws sns/sqs adapter on fauxqs", () => {
  it("routes only the declared event types to a filtered subscription, and updates the filter idempotently", async () => {
    const topic = uniqueName("t");
    const [kitchen, analytics] = [uniqueName("kitchen"), uniqueName("analytics")];
    const specs = [
      { topic, subscription: kitchen, eventTypes: ["order.confirmed"] },
      { topic, subscription: analytics },
    ];
    const { queues } = await ensureTopology(fauxqs.config(), { topics: [topic], subscriptions: specs });
    const broker = open();
    const types = ["order.placed", "order.confirmed", "order.cancelled"];
    await broker.publisher.publish(topic, types.map((type) => testEvent({ type })));
    expect(waitingTypes(queues[kitchen]?.queue ?? "")).toEqual(["order.confirmed"]);
    expect(waitingTypes(queues[analytics]?.queue ?? "").sort()).toEqual([...types].sort());

    await ensureTopology(fauxqs.config(), {
      topics: [topic],
      subscriptions: [{ topic, subscription: kitchen, eventTypes: ["order.cancelled"] }],
    });
    await broker.publisher.publish(topic, types.map((type) => testEvent({ type })));
    expect(waitingTypes(queues[kitchen]?.queue ?? "")).toEqual(["order.confirmed", "order.cancelled"]);
  });

  it("keeps a fully populated CloudEvent within SQS's 10 message attributes", async () => {
    const spec = { topic: uniqueName("t"), subscription: uniqueName("s") };
    const { queues } = await ensureTopology(fauxqs.config(), { topics: [spec.topic], subscriptions: [spec] });
    const broker = open();
    const event = testEvent({
      subject: "order-1",
      correlationid: "c",
      causationid: "d",
      tenant: "t",
      traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      tracestate: "a=b",
    });
    await broker.publisher.publish(spec.topic, [event]);
    const [waiting] = fauxqs.server().inspectQueue(queues[spec.subscription]?.queue ?? "")?.messages.ready ?? [];
    expect(Object.keys(waiting?.messageAttributes ?? {}).length).toBeLessThan(MAX_ATTRIBUTES);
    const received: CloudEvent[] = [];
    await broker.subscriber.subscribe(spec, async (message) => void received.push(message));
    await waitFor(() => received.length === 1, { what: "the delivery" });
    expect(received[0]).toEqual(event);
  });

  it("lists a message SQS's redrive moved after maxDeliveries receives, and replay returns it to the subscription", async () => {
    const spec = { topic: uniqueName("t"), subscription: uniqueName("s"), maxDeliveries: 2 };
    const { queues } = await ensureTopology(fauxqs.config(), { topics: [spec.topic], subscriptions: [spec] });
    const queue = queues[spec.subscription];
    if (queue === undefined) throw new Error("ensureTopology returned no queue");
    const broker = open();
    const event = testEvent({ subject: "order-redrive" });
    await broker.publisher.publish(spec.topic, [event]);

    // A consumer that crashes mid-handler: it receives and never settles, so each lease simply runs out.
    const sqs = new SQSClient({ region: "us-east-1", endpoint: fauxqs.server().address });
    const receive = () => sqs.send(new ReceiveMessageCommand({ QueueUrl: queue.url, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
    expect((await receive()).Messages).toHaveLength(1);
    expect((await receive()).Messages).toHaveLength(1);
    expect((await receive()).Messages ?? []).toHaveLength(0);
    sqs.destroy();

    const letters = await broker.deadLetters.list(spec.subscription);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ subscription: spec.subscription, message: event, attempts: 2 });
    expect(letters[0]?.reason).toBe("failed 2 deliveries: moved by SQS redrive, the handler never settled it");

    const attempts: number[] = [];
    await broker.subscriber.subscribe(spec, async (_message, delivery) => void attempts.push(delivery.attempt));
    await broker.deadLetters.replay(letters[0]?.id ?? "");
    await waitFor(() => attempts.length === 1, { what: "the replayed delivery" });
    expect(attempts).toEqual([1]);
    expect(await broker.deadLetters.list(spec.subscription)).toEqual([]);
  });

  it("keeps a slow handler's message leased, so it is not delivered twice meanwhile", async () => {
    const broker = new AwsBroker(fauxqs.config({ visibilityTimeoutSeconds: 2 }));
    brokers.push(broker);
    const spec = { topic: uniqueName("t"), subscription: uniqueName("s") };
    const deliveries: number[] = [];
    let finished = false;
    await broker.subscriber.subscribe(spec, async (_message, delivery) => {
      deliveries.push(delivery.attempt);
      // Longer than the 2 s lease: without renewal SQS would hand the message out again at about 2 s.
      await new Promise((resolve) => setTimeout(resolve, 4_500));
      finished = true;
    });
    await broker.publisher.publish(spec.topic, [testEvent()]);
    await waitFor(() => finished, { timeoutMs: 15_000, what: "the slow handler" });
    expect(deliveries).toEqual([1]);
    expect(await broker.subscriber.depth(spec.subscription)).toBe(0);
  });

  it("refuses to start without the topology when creating it is off, naming what to set", async () => {
    const broker = new AwsBroker(fauxqs.config({ createTopology: false }));
    brokers.push(broker);
    await expect(broker.publisher.publish(uniqueName("t"), [testEvent()])).rejects.toMatchObject({
      code: "INFRA_MISCONFIGURED",
      message: expect.stringContaining("TIFFIN_SNS_TOPIC_ARN"),
    });
    const topicArns = { orders: "arn:aws:sns:us-east-1:000000000000:missing-topic" };
    const verifying = new AwsBroker(fauxqs.config({ createTopology: false, topicArns }));
    brokers.push(verifying);
    await expect(verifying.subscriber.subscribe({ topic: "orders", subscription: uniqueName("s") }, async () => undefined)).rejects.toMatchObject({
      code: "INFRA_MISCONFIGURED",
      message: expect.stringContaining("must exist"),
    });
  });
});
