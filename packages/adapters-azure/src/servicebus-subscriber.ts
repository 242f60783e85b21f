import type { ServiceBusClient } from "@azure/service-bus";
import { resolveSubscriptionSpec, silentLogger } from "@tiffin/core";
import type { Logger, MessageHandler, MessageSubscriber, Subscription, SubscriptionSpec } from "@tiffin/core";
import type { ResolvedAzureBrokerConfig } from "./azure-config.js";
import { SessionConsumer } from "./session-consumer.js";
import { describeSubscription, type TopologyProvisioner } from "./topology.js";

export interface ServiceBusSubscriberDeps {
  readonly logger?: Logger;
  /** Source of backoff jitter. */
  readonly random?: () => number;
}

/**
 * Subscriptions as Service Bus topic subscriptions with sessions. `subscribe` has the provisioner ensure the
 * subscription and its rules before it resolves (with the template's topology it trusts them to exist).
 */
export class ServiceBusSubscriber implements MessageSubscriber {
  private readonly consumers = new Set<SessionConsumer>();
  private readonly logger: Logger;
  private readonly random: () => number;

  constructor(
    private readonly client: ServiceBusClient,
    private readonly provisioner: TopologyProvisioner,
    private readonly config: ResolvedAzureBrokerConfig,
    private readonly topics: Map<string, string>,
    deps: ServiceBusSubscriberDeps = {},
  ) {
    this.logger = deps.logger ?? silentLogger;
    this.random = deps.random ?? Math.random;
  }

  async subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription> {
    const resolved = resolveSubscriptionSpec(spec);
    await this.provisioner.ensureSubscription(describeSubscription(resolved, this.config.lockDurationMs));
    this.topics.set(resolved.subscription, resolved.topic);
    const logger = this.logger.child({ subscription: spec.subscription });
    const consumer = new SessionConsumer(this.client, resolved, handler, this.config, { logger, random: this.random });
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
