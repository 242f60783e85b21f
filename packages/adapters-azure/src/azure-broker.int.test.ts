import { ServiceBusClient } from "@azure/service-bus";
import { describe, expect, it } from "vitest";
import { testEvent, uniqueName, waitFor } from "@tiffin/core/testing";
import type { DeadLetter } from "@tiffin/core";
import { AzureBroker } from "./azure-broker.js";
import { useServiceBusEmulator } from "./test-support/emulator.js";

const servicebus = useServiceBusEmulator();

/** A broker whose subscriptions lock sessions for `lockDurationMs`, and a raw SDK client playing a worker that dies. */
function setup(lockDurationMs: number): { broker: AzureBroker; raw: ServiceBusClient; close(): Promise<void> } {
  const broker = new AzureBroker(servicebus.config({ lockDurationMs }), { provisioner: servicebus.provisioner });
  const raw = new ServiceBusClient(servicebus.emulator().connectionString);
  return { broker, raw, close: async () => void (await Promise.all([broker.close(), raw.close()])) };
}

describe("Service Bus adapter", () => {
  it("hands an order to another worker once the session lock of a worker that died runs out, counting the delivery", async () => {
    const { broker, raw, close } = setup(1_000);
    try {
      const spec = { topic: uniqueName("t"), subscription: uniqueName("s") };
      // Create the subscription, then stop consuming: the "dead" worker below takes the session first.
      await (await broker.subscriber.subscribe(spec, async () => undefined)).close();
      const [first, second] = [testEvent({ subject: "order-1" }), testEvent({ subject: "order-1" })];
      await broker.publisher.publish(spec.topic, [first, second]);
      const dying = await raw.acceptNextSession(spec.topic, spec.subscription, { maxAutoLockRenewalDurationInMs: 0 });
      expect((await dying.receiveMessages(1, { maxWaitTimeInMs: 2_000 })).map((m) => m.messageId)).toEqual([first.id]);
      // It never settles nor renews. The adapter's worker gets the session when the lock is gone, in order.
      const handled: [string, number][] = [];
      await broker.subscriber.subscribe(spec, async (message, delivery) => void handled.push([message.id, delivery.attempt]));
      await waitFor(() => handled.length === 2, { timeoutMs: 10_000, what: "both events after the lock ran out" });
      expect(handled).toEqual([
        [first.id, 2],
        [second.id, 1],
      ]);
    } finally {
      await close();
    }
  });

  it("lists what Service Bus dead-lettered by itself after maxDeliveryCount in the common reason format", async () => {
    const { broker, raw, close } = setup(10_000);
    try {
      const spec = { topic: uniqueName("t"), subscription: uniqueName("s"), maxDeliveries: 2 };
      await (await broker.subscriber.subscribe(spec, async () => undefined)).close();
      const event = testEvent({ subject: "order-2" });
      await broker.publisher.publish(spec.topic, [event]);
      // Two workers take the message and die before settling (their receivers close without a disposition).
      for (let n = 0; n < 2; n += 1) {
        const receiver = await raw.acceptNextSession(spec.topic, spec.subscription);
        expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 2_000 })).toHaveLength(1);
        await receiver.close();
      }
      let letters: DeadLetter[] = [];
      await waitFor(async () => (letters = await broker.deadLetters.list(spec.subscription)).length === 1, { what: "a dead letter" });
      expect(letters[0]).toMatchObject({ subscription: spec.subscription, message: event, attempts: 2 });
      expect(letters[0]?.reason).toBe(
        "failed 2 deliveries: moved by Service Bus (MaxDeliveryCountExceeded: Message could not be consumed after 2 delivery attempts.)",
      );
    } finally {
      await close();
    }
  });

  it("refuses an event larger than a Service Bus message as a permanent error, publishing nothing", async () => {
    const { broker, close } = setup(10_000);
    try {
      const spec = { topic: uniqueName("t"), subscription: uniqueName("s") };
      const seen: string[] = [];
      await broker.subscriber.subscribe(spec, async (message) => void seen.push(message.id));
      const huge = testEvent({ data: { blob: "x".repeat(300 * 1024) } });
      await expect(broker.publisher.publish(spec.topic, [huge])).rejects.toMatchObject({ transient: false, code: "MESSAGE_REFUSED", messageIds: [huge.id] });
      const fine = testEvent();
      await broker.publisher.publish(spec.topic, [fine]);
      await waitFor(() => seen.length === 1, { what: "the next event" });
      expect(seen).toEqual([fine.id]);
    } finally {
      await close();
    }
  });
});
