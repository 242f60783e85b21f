import { describeOrderFlow, waitFor } from "@tiffin/cli/testing";
import { ORDER_EVENTS_TOPIC, WORKER_SUBSCRIPTIONS, resolveSubscriptionSpec } from "@tiffin/core";
import { startServiceBusEmulator } from "@tiffin/servicebus-emulator";
import { expect } from "vitest";
import { describeSubscription } from "./topology.js";
import { emulatorTopic } from "./test-support/emulator.js";

/**
 * The worker's subscriptions as the Bicep template (or `tiffin topology`) creates them; the emulator, like Microsoft's,
 * takes its topology from its configuration instead of the administration API.
 */
const SUBSCRIPTIONS = WORKER_SUBSCRIPTIONS.map(({ subscription, ...consumer }) =>
  describeSubscription(
    resolveSubscriptionSpec({ topic: ORDER_EVENTS_TOPIC, subscription, ...("eventTypes" in consumer ? { eventTypes: consumer.eventTypes } : {}) }),
    60_000,
  ),
);

// The shared order flow with TIFFIN_BROKER=azure on the in-repo Service Bus emulator.
describeOrderFlow("TIFFIN_BROKER=azure on the Service Bus emulator", async () => {
  const emulator = await startServiceBusEmulator();
  const topics = SUBSCRIPTIONS.map(emulatorTopic);
  emulator.apply({
    UserConfig: {
      Namespaces: [{ Name: "tiffin", Topics: [{ ...topics[0], Name: ORDER_EVENTS_TOPIC, Subscriptions: topics.flatMap((t) => t.Subscriptions ?? []) }] }],
    },
  });
  return {
    env: { TIFFIN_BROKER: "azure", SERVICEBUS_CONNECTION_STRING: emulator.connectionString },
    // Depth needs the administration API's runtime properties, which the emulator does not serve.
    queueDepth: false,
    afterDelivery: async () => {
      // The events crossed the emulator: every subscription drains, and nothing was dead-lettered.
      const queues = SUBSCRIPTIONS.map(({ name }) => emulator.namespace.queue(`${ORDER_EVENTS_TOPIC}/Subscriptions/${name}`));
      await waitFor("every subscription to drain", async () => (queues.every((q) => q.peek(0, 1).length === 0) ? true : undefined));
      for (const queue of queues) expect(queue.deadLetterQueue?.peek(0, 10), queue.path).toEqual([]);
    },
    close: () => emulator.close(),
  };
});
