import type { Logger, SubscriptionSpec } from "@tiffin/core";
import { createAwsClients, destroyAwsClients, type AwsClients } from "./aws-clients.js";
import { resolveAwsBrokerConfig, type AwsBrokerConfig, type ResolvedAwsBrokerConfig } from "./aws-config.js";
import { SnsPublisher } from "./sns-publisher.js";
import { SqsDeadLetters } from "./sqs-dead-letters.js";
import { SqsSubscriber } from "./sqs-subscriber.js";
import { AwsTopology, type QueueRef } from "./topology.js";

export interface AwsBrokerDeps {
  readonly logger?: Logger;
  /** Source of backoff jitter. */
  readonly random?: () => number;
}

/** The SNS/SQS broker: publisher, subscriber and dead letters sharing one set of SDK clients and one topology. */
export class AwsBroker {
  readonly config: ResolvedAwsBrokerConfig;
  readonly topology: AwsTopology;
  readonly publisher: SnsPublisher;
  readonly subscriber: SqsSubscriber;
  readonly deadLetters: SqsDeadLetters;
  private readonly clients: AwsClients;

  /** Validates the config at once (INFRA_MISCONFIGURED naming the variable); connects lazily. */
  constructor(config: AwsBrokerConfig, deps: AwsBrokerDeps = {}) {
    this.config = resolveAwsBrokerConfig(config);
    this.clients = createAwsClients(this.config);
    this.topology = new AwsTopology(this.clients, this.config);
    this.publisher = new SnsPublisher(this.clients, this.topology, this.config);
    this.subscriber = new SqsSubscriber(this.clients, this.topology, this.config, deps);
    this.deadLetters = new SqsDeadLetters(this.clients.sqs, this.topology, this.config);
  }

  /**
   * BrokerTopology: creates or updates the topic and each spec's queue, dead-letter queue and filtered SNS
   * subscription, whatever `createTopology` says (this is the call that creates it: `tiffin topology`).
   */
  async ensureTopology(specs: readonly SubscriptionSpec[]): Promise<readonly string[]> {
    const topology = new AwsTopology(this.clients, { ...this.config, createTopology: true });
    const lines: string[] = [];
    for (const spec of specs) {
      const queue = await topology.ensureSubscription(spec);
      lines.push(`${spec.subscription}: ${await topology.topicArn(spec.topic)} -> ${queue.queue} (dead letters ${queue.dlq})`);
    }
    return lines;
  }

  /** A second subscriber on the same queues, as another process would have; the caller closes it. */
  newSubscriber(deps: AwsBrokerDeps = {}): SqsSubscriber {
    return new SqsSubscriber(this.clients, new AwsTopology(this.clients, this.config), this.config, deps);
  }

  /** Stops every consumer (waiting for handlers), then releases the SDK clients. */
  async close(): Promise<void> {
    await this.subscriber.close();
    await this.publisher.close();
    destroyAwsClients(this.clients);
  }
}

/**
 * Creates or updates the topic, and each subscription's queue, dead-letter queue (redrive after `maxDeliveries`)
 * and filtered SNS subscription. Idempotent; for development and tests (production applies the Terraform).
 */
export async function ensureTopology(
  config: AwsBrokerConfig,
  topology: { readonly topics: readonly string[]; readonly subscriptions: readonly SubscriptionSpec[] },
): Promise<{ topicArns: Record<string, string>; queues: Record<string, QueueRef> }> {
  const broker = new AwsBroker({ ...config, createTopology: true });
  try {
    const topicArns: Record<string, string> = {};
    for (const topic of topology.topics) topicArns[topic] = await broker.topology.topicArn(topic);
    const queues: Record<string, QueueRef> = {};
    for (const spec of topology.subscriptions) queues[spec.subscription] = await broker.topology.ensureSubscription(spec);
    return { topicArns, queues };
  } finally {
    await broker.close();
  }
}
