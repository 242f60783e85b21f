import { CreateQueueCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from "@aws-sdk/client-sqs";
import { afterEach, beforeAll, expect, it } from "vitest";
import { testEvent, uniqueName, waitFor } from "@tiffin/core/testing";
import { AwsBroker } from "./aws-broker.js";
import { handOutWholeFifoGroups } from "./test-support/fifo-group-batches.js";
import { useFauxqs } from "./test-support/fauxqs.js";

const fauxqs = useFauxqs();
beforeAll(handOutWholeFifoGroups);
const brokers: AwsBroker[] = [];
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
});

it("the emulator hands out a FIFO group's messages in one receive, as SQS does", async () => {
  const sqs = new SQSClient({ region: "us-east-1", endpoint: fauxqs.server().address });
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${uniqueName("q")}.fifo`, Attributes: { FifoQueue: "true" } }));
  const entries = ["a", "b", "c"].map((body) => ({ Id: body, MessageBody: body, MessageGroupId: "g", MessageDeduplicationId: body }));
  await sqs.send(new SendMessageBatchCommand({ QueueUrl, Entries: entries }));
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
  expect(Messages.map((m) => m.Body)).toEqual(["a", "b", "c"]);
  sqs.destroy();
});

// The head and its follower arrive in one batch: the head's retries happen in process, so the follower is received
// once and counted only for its own failures (handing it back behind each failure would count a receive each time).
it("dead-letters a FIFO group's failing head after its own deliveries, and its follower only for the follower's own failures", async () => {
  const broker = new AwsBroker(fauxqs.config({ fifo: true }));
  brokers.push(broker);
  const spec = { topic: uniqueName("t"), subscription: uniqueName("s"), maxDeliveries: 3, retry: { minDelayMs: 1_000, maxDelayMs: 1_000 } };
  const subject = `order-${uniqueName("o")}`;
  const head = testEvent({ subject, type: "order.placed" });
  const follower = testEvent({ subject, type: "order.confirmed" });
  const deliveries: { type: string; attempt: number }[] = [];
  let followerDone = false;
  await broker.subscriber.subscribe(spec, async (message, delivery) => {
    deliveries.push({ type: message.type, attempt: delivery.attempt });
    // The head never gets through (a transient fault each time); the follower fails once, then is handled.
    if (message.type === head.type) throw new Error("database unavailable");
    if (deliveries.filter((d) => d.type === follower.type).length === 1) throw new Error("database unavailable");
    followerDone = true;
  });
  await broker.publisher.publish(spec.topic, [head, follower]);
  await waitFor(() => followerDone, { timeoutMs: 30_000, what: "the follower to be handled" });

  const letters = await broker.deadLetters.list(spec.subscription);
  expect(letters.map((letter) => ({ type: letter.message?.type, attempts: letter.attempts }))).toEqual([{ type: head.type, attempts: 3 }]);
  expect(deliveries).toEqual([
    { type: head.type, attempt: 1 },
    { type: head.type, attempt: 2 },
    { type: head.type, attempt: 3 },
    { type: follower.type, attempt: 1 },
    { type: follower.type, attempt: 2 },
  ]);
});

it("closing while a head waits for its in-process retry gives the group back in order at once", async () => {
  const first = new AwsBroker(fauxqs.config({ fifo: true }));
  brokers.push(first);
  // A retry delay far longer than the test may take: close() must cut the wait short, not sit it out.
  const spec = { topic: uniqueName("t"), subscription: uniqueName("s"), maxDeliveries: 5, retry: { minDelayMs: 600_000, maxDelayMs: 600_000 } };
  const subject = `order-${uniqueName("o")}`;
  const head = testEvent({ subject, type: "order.placed" });
  const follower = testEvent({ subject, type: "order.confirmed" });
  let failed = false;
  await first.subscriber.subscribe(spec, async () => {
    failed = true;
    throw new Error("database unavailable");
  });
  await first.publisher.publish(spec.topic, [head, follower]);
  await waitFor(() => failed, { timeoutMs: 15_000, what: "the head's first failure" });
  await first.close();

  const second = new AwsBroker(fauxqs.config({ fifo: true }));
  brokers.push(second);
  const handled: string[] = [];
  await second.subscriber.subscribe(spec, async (message) => {
    handled.push(message.type);
  });
  await waitFor(() => handled.length === 2, { timeoutMs: 15_000, what: "the group to be handled by the next consumer" });
  expect(handled).toEqual([head.type, follower.type]);
}, 40_000);
