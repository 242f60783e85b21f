import type { PubSub } from "@google-cloud/pubsub";
import { resolveSubscriptionSpec, silentLogger } from "@tiffin/core";
import type { Logger, MessageHandler, MessageSubscriber, Subscription, SubscriptionSpec } from "@tiffin/core";
import { PubSubConsumer } from "./pubsub-consumer.js";
import type { PubSubTopology } from "./topology.js";

export interface PubSubSubscriberDeps {
  readonly logger?: Logger;
  /** Source of backoff jitter. */
  readonly random?: () => number;
}

/**
 * Subscriptions as Pub/Sub subscriptions of the topic. `subscribe` ensures (or, without `createTopology`, verifies)
 * the subscription and its dead-letter topic before it resolves, so nothing published afterwards is missed.
 * Queue depth is not offered: Pub/Sub reports backlog only through Cloud Monitoring, which the emulator lacks.
 */
export class PubSubSubscriber implements MessageSubscriber {
  private readonly consumers = new Set<PubSubConsumer>();
  private readonly logger: Logger;
  private readonly random: () => number;

  constructor(
    private readonly pubsub: PubSub,
    private readonly topology: PubSubTopology,
    deps: PubSubSubscriberDeps = {},
  ) {
    this.logger = deps.logger ?? silentLogger;
    this.random = deps.random ?? Math.random;
  }

  async subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription> {
    const resolved = resolveSubscriptionSpec(spec);
    const ref = await this.topology.ensureSubscription(resolved);
    const logger = this.logger.child({ subscription: spec.subscription });
    const consumer = new PubSubConsumer(this.pubsub, ref, resolved, handler, { logger, random: this.random });
    this.consumers.add(consumer);
    consumer.start();
    return {
      close: async () => {
        await consumer.close();
        this.consumers.delete(consumer);
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((consumer) => consumer.close()));
    this.consumers.clear();
  }
}
