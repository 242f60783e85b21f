import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { silentLogger } from "@tiffin/core";
import type { Logger, MessageHandler, MessageSubscriber, QueueDepth, Subscription, SubscriptionSpec } from "@tiffin/core";
import { resolveSubscriptionSpec } from "@tiffin/core";
import type { AwsClients } from "./aws-clients.js";
import type { ResolvedAwsBrokerConfig } from "./aws-config.js";
import { aws } from "./aws-errors.js";
import { SqsConsumer } from "./sqs-consumer.js";
import type { AwsTopology } from "./topology.js";

export interface SqsSubscriberDeps {
  readonly logger?: Logger;
  /** Source of backoff jitter. */
  readonly random?: () => number;
}

/**
 * Subscriptions as SQS queues fed by the SNS topic. `subscribe` ensures (or, without `createTopology`, verifies)
 * the queue, its dead-letter queue and the SNS subscription before it resolves, so nothing published afterwards
 * is missed while no process consumes.
 */
export class SqsSubscriber implements MessageSubscriber, QueueDepth {
  private readonly consumers = new Set<SqsConsumer>();
  private readonly logger: Logger;
  private readonly random: () => number;

  constructor(
    private readonly clients: AwsClients,
    private readonly topology: AwsTopology,
    private readonly config: ResolvedAwsBrokerConfig,
    deps: SqsSubscriberDeps = {},
  ) {
    this.logger = deps.logger ?? silentLogger;
    this.random = deps.random ?? Math.random;
  }

  async subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription> {
    const resolved = resolveSubscriptionSpec(spec);
    const queue = await this.topology.ensureSubscription(resolved);
    const logger = this.logger.child({ subscription: spec.subscription });
    const consumer = new SqsConsumer(this.clients.sqs, queue, resolved, handler, this.config, { logger, random: this.random });
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

  /** `ApproximateNumberOfMessages`: visible messages, not those in flight or waiting out a backoff. */
  async depth(subscription: string): Promise<number> {
    const queue = await this.topology.queue(subscription);
    const { Attributes } = await aws(`GetQueueAttributes ${queue.queue}`, () =>
      this.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ["ApproximateNumberOfMessages"] })),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  }
}
