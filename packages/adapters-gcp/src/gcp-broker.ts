import { PubSub } from "@google-cloud/pubsub";
import { silentLogger } from "@tiffin/core";
import type { SubscriptionSpec } from "@tiffin/core";
import { resolveSubscriptionSpec } from "@tiffin/core";
import { resolveGcpBrokerConfig, type GcpBrokerConfig, type ResolvedGcpBrokerConfig } from "./gcp-config.js";
import { PubSubDeadLetters } from "./pubsub-dead-letters.js";
import { PubSubPublisher } from "./pubsub-publisher.js";
import { PubSubSubscriber, type PubSubSubscriberDeps } from "./pubsub-subscriber.js";
import { PubSubPushCodec, type PushAuthConfig } from "./push-codec.js";
import { PubSubPushDelivery } from "./push-delivery.js";
import { PubSubTopology, type SubscriptionRef } from "./topology.js";

export type GcpBrokerDeps = PubSubSubscriberDeps;

/** The Pub/Sub broker: publisher, subscriber and dead letters sharing one client and one topology. */
export class GcpBroker {
  readonly config: ResolvedGcpBrokerConfig;
  readonly topology: PubSubTopology;
  readonly publisher: PubSubPublisher;
  readonly subscriber: PubSubSubscriber;
  readonly deadLetters: PubSubDeadLetters;
  private readonly pubsub: PubSub;

  /** Validates the config at once (INFRA_MISCONFIGURED naming the variable); connects lazily. */
  constructor(config: GcpBrokerConfig, deps: GcpBrokerDeps = {}) {
    this.config = resolveGcpBrokerConfig(config);
    this.pubsub = new PubSub({
      projectId: this.config.projectId,
      ...(this.config.emulatorHost === undefined ? {} : { apiEndpoint: this.config.emulatorHost, emulatorMode: true }),
    });
    this.topology = new PubSubTopology(this.pubsub, this.config, deps.logger ?? silentLogger);
    this.publisher = new PubSubPublisher(this.pubsub, this.topology);
    this.subscriber = new PubSubSubscriber(this.pubsub, this.topology, deps);
    this.deadLetters = new PubSubDeadLetters(this.pubsub, this.topology);
  }

  /** A second subscriber on the same subscriptions, as another process would have; the caller closes it. */
  newSubscriber(deps: GcpBrokerDeps = {}): PubSubSubscriber {
    return new PubSubSubscriber(this.pubsub, new PubSubTopology(this.pubsub, this.config, deps.logger ?? silentLogger), deps);
  }

  /**
   * BrokerTopology: creates the topics and subscriptions of the specs idempotently, whatever `createTopology` says
   * (this is the call that creates them: `tiffin topology`). Processes find them by name.
   */
  async ensureTopology(specs: readonly SubscriptionSpec[]): Promise<readonly string[]> {
    const topology = new PubSubTopology(this.pubsub, { ...this.config, createTopology: true }, silentLogger);
    const lines: string[] = [];
    for (const spec of specs) {
      const ref = await topology.ensureSubscription(resolveSubscriptionSpec(spec));
      lines.push(`${spec.subscription}: ${ref.topic} -> ${ref.subscription} (dead letters ${ref.deadLetterSubscription})`);
    }
    return lines;
  }

  /** Push delivery for the worker's push endpoint; `keys` replaces Google's JWKS (tests). */
  pushDelivery(auth: PushAuthConfig, deps: ConstructorParameters<typeof PubSubPushCodec>[2] = {}): PubSubPushDelivery {
    return new PubSubPushDelivery(new PubSubPushCodec(auth, this.config, deps), this.pubsub, this.config);
  }

  /** Stops every consumer (waiting for handlers), flushes the publisher, then closes the client. */
  async close(): Promise<void> {
    await this.subscriber.close();
    await this.publisher.close();
    await this.deadLetters.close();
    await this.pubsub.close();
  }
}

/**
 * Creates the topics, and each subscription with its filter, ordering, dead-letter topic and dead-letter pull
 * subscription. Idempotent; for development, tests and `tiffin topology` (production may apply its own IaC).
 */
export async function ensureGcpTopology(
  config: GcpBrokerConfig,
  topology: { readonly topics: readonly string[]; readonly subscriptions: readonly SubscriptionSpec[] },
): Promise<{ topics: Record<string, string>; subscriptions: Record<string, SubscriptionRef> }> {
  const broker = new GcpBroker({ ...config, createTopology: true });
  try {
    const topics: Record<string, string> = {};
    for (const topic of topology.topics) topics[topic] = await broker.topology.topicName(topic);
    const subscriptions: Record<string, SubscriptionRef> = {};
    for (const spec of topology.subscriptions) {
      subscriptions[spec.subscription] = await broker.topology.ensureSubscription(resolveSubscriptionSpec(spec));
    }
    return { topics, subscriptions };
  } finally {
    await broker.close();
  }
}
