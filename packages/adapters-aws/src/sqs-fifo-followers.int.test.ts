import { afterEach, expect, it } from "vitest";
import { testEvent, uniqueName, waitFor } from "@tiffin/core/testing";
import { AwsBroker } from "./aws-broker.js";
import { useFauxqs } from "./test-support/fauxqs.js";

const fauxqs = useFauxqs();
const brokers: AwsBroker[] = [];
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((broker) => broker.close()));
});

// fauxqs hands out one message per FIFO group per receive, so here a follower is never received (and never counted)
// while its head fails; real SQS may return several of a group in one batch (see docs/ARCHITECTURE.md, known gaps).
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
