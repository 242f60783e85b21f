import { credentials } from "@grpc/grpc-js";
import { v1 } from "@google-cloud/pubsub";
import { testEvent, uniqueName, waitFor } from "@tiffin/core/testing";
import { describe, expect, it } from "vitest";
import { GcpBroker } from "./gcp-broker.js";
import { subscriptionNames } from "./names.js";
import { TEST_PROJECT, usePubSubEmulator } from "./test-support/emulator.js";

// 20 ms per emulated second: a lease a crashed consumer never settles expires in 200 ms.
const pubsub = usePubSubEmulator({ secondMs: 20, pullWaitMs: 50 });

describe("the service's dead-letter policy as the backstop", () => {
  it("lists a message no handler ever settled, forwarded after max_delivery_attempts, and replays it", async () => {
    const broker = new GcpBroker(pubsub.config());
    const spec = { topic: uniqueName("t"), subscription: uniqueName("s"), maxDeliveries: 5 };
    await broker.ensureTopology([spec]);
    const event = testEvent({ subject: "order-7" });
    await broker.publisher.publish(spec.topic, [event]);
    // A consumer that receives and crashes, five times: the leases expire unsettled.
    const { port } = pubsub.emulator();
    const client = new v1.SubscriberClient({ servicePath: "127.0.0.1", port, sslCreds: credentials.createInsecure(), projectId: TEST_PROJECT });
    const subscription = `projects/${TEST_PROJECT}/subscriptions/${subscriptionNames(broker.config, spec.subscription).subscription}`;
    let received = 0;
    await waitFor(
      async () => {
        const [response] = await client.pull({ subscription, maxMessages: 1 });
        received += (response.receivedMessages ?? []).length;
        return received === 5;
      },
      { timeoutMs: 10_000, what: "five unsettled deliveries" },
    );
    await client.close();
    let letters: Awaited<ReturnType<typeof broker.deadLetters.list>> = [];
    await waitFor(async () => (letters = await broker.deadLetters.list(spec.subscription)).length === 1, { what: "the forwarded letter" });
    expect(letters[0]).toMatchObject({ message: event, attempts: 5, subscription: spec.subscription });
    expect(letters[0]?.reason).toBe("failed 5 deliveries: forwarded by the Pub/Sub dead-letter policy, the handler never settled it");
    const handled: string[] = [];
    await broker.subscriber.subscribe(spec, async (message) => void handled.push(message.id));
    await broker.deadLetters.replay(letters[0]?.id ?? "");
    await waitFor(() => handled.length === 1, { what: "the replayed delivery" });
    expect(handled).toEqual([event.id]);
    expect(await broker.deadLetters.list(spec.subscription)).toEqual([]);
    await broker.close();
  });
});
