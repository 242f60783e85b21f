import type { PubSub } from "@google-cloud/pubsub";
import type { Logger, ResolvedSubscriptionSpec } from "@tiffin/core";
import type { ResolvedGcpBrokerConfig } from "./gcp-config.js";
import { isAlreadyExists, pubsubCall, pubsubFault } from "./gcp-errors.js";
import { subscriptionNames, topicId } from "./names.js";
import { subscriptionFilter } from "./subscription-filter.js";

/** What a consumer needs to know about its subscription's resources. */
export interface SubscriptionRef {
  /** Full names: projects/{project}/subscriptions/{id}, projects/{project}/topics/{id}. */
  readonly subscription: string;
  readonly topic: string;
  readonly deadLetterTopic: string;
  readonly deadLetterSubscription: string;
  /** False when the event types did not fit the service's filter and the consumer must skip other types. */
  readonly typesInFilter: boolean;
}

// The service's range for max_delivery_attempts.
const MIN_SERVICE_ATTEMPTS = 5;
const MAX_SERVICE_ATTEMPTS = 100;

/**
 * The topic, and per subscription: a filtered subscription with message ordering and the service's dead-letter
 * policy as a backstop, a dead-letter topic and its pull subscription. With `createTopology` missing resources are
 * created (idempotently); without it they must exist, or the call fails naming what is missing.
 */
export class PubSubTopology {
  private readonly topics = new Map<string, Promise<string>>();
  private readonly subscriptions = new Map<string, Promise<SubscriptionRef>>();

  constructor(
    private readonly pubsub: PubSub,
    private readonly config: ResolvedGcpBrokerConfig,
    private readonly logger: Logger,
  ) {}

  topicName(topic: string): Promise<string> {
    let found = this.topics.get(topic);
    if (found === undefined) {
      found = this.ensureTopic(topicId(this.config, topic));
      this.topics.set(topic, found);
      found.catch(() => this.topics.delete(topic));
    }
    return found;
  }

  ensureSubscription(spec: ResolvedSubscriptionSpec): Promise<SubscriptionRef> {
    const key = `${spec.topic}\u0000${spec.subscription}`;
    let found = this.subscriptions.get(key);
    if (found === undefined) {
      found = this.create(spec);
      this.subscriptions.set(key, found);
      found.catch(() => this.subscriptions.delete(key));
    }
    return found;
  }

  /** The resources of a subscription another process created (dead letters, replay). */
  async existing(subscription: string): Promise<SubscriptionRef> {
    const names = subscriptionNames(this.config, subscription);
    const [metadata] = await pubsubCall(`get subscription ${names.subscription}`, () =>
      this.pubsub.subscription(names.subscription).getMetadata(),
    );
    const deadLetterTopic = this.pubsub.topic(names.deadLetters).name;
    return {
      subscription: this.pubsub.subscription(names.subscription).name,
      topic: metadata.topic ?? "",
      deadLetterTopic,
      deadLetterSubscription: this.pubsub.subscription(names.deadLetters).name,
      typesInFilter: true,
    };
  }

  private async create(spec: ResolvedSubscriptionSpec): Promise<SubscriptionRef> {
    const names = subscriptionNames(this.config, spec.subscription);
    const topic = await this.topicName(spec.topic);
    const deadLetterTopic = await this.ensureTopic(names.deadLetters);
    const deadLetterSubscription = await this.ensure(names.deadLetters, deadLetterTopic, {});
    const { filter, typesInFilter } = subscriptionFilter(spec.subscription, spec.eventTypes);
    const subscription = await this.ensure(names.subscription, topic, {
      filter,
      enableMessageOrdering: true,
      // The backstop for deliveries no handler settled (a crashed process); the consumer dead-letters by itself.
      deadLetterPolicy: {
        deadLetterTopic,
        maxDeliveryAttempts: Math.min(MAX_SERVICE_ATTEMPTS, Math.max(MIN_SERVICE_ATTEMPTS, spec.maxDeliveries)),
      },
    });
    return { subscription, topic, deadLetterTopic, deadLetterSubscription, typesInFilter };
  }

  private async ensureTopic(id: string): Promise<string> {
    const topic = this.pubsub.topic(id);
    if (this.config.createTopology) {
      try {
        await this.pubsub.createTopic(id);
      } catch (error) {
        if (!isAlreadyExists(error)) throw pubsubFault(`create topic ${id}`, error);
      }
      return topic.name;
    }
    const [exists] = await pubsubCall(`check topic ${id}`, () => topic.exists());
    if (!exists) throw pubsubFault(`find topic ${topic.name} (create it, or set TIFFIN_CREATE_TOPOLOGY=true)`, notFound(topic.name));
    return topic.name;
  }

  private async ensure(id: string, topic: string, options: Record<string, unknown>): Promise<string> {
    const subscription = this.pubsub.subscription(id);
    if (this.config.createTopology) {
      try {
        await this.pubsub.topic(topic).createSubscription(id, options);
      } catch (error) {
        if (!isAlreadyExists(error)) throw pubsubFault(`create subscription ${id}`, error);
        await this.warnOnDrift(id, options);
      }
      return subscription.name;
    }
    const [exists] = await pubsubCall(`check subscription ${id}`, () => subscription.exists());
    if (!exists) {
      throw pubsubFault(`find subscription ${subscription.name} (create it, or set TIFFIN_CREATE_TOPOLOGY=true)`, notFound(subscription.name));
    }
    return subscription.name;
  }

  /** A filter cannot change after creation; say so rather than run with a different one silently. */
  private async warnOnDrift(id: string, options: Record<string, unknown>): Promise<void> {
    if (options.filter === undefined) return;
    const [metadata] = await pubsubCall(`get subscription ${id}`, () => this.pubsub.subscription(id).getMetadata());
    if (metadata.filter !== options.filter) {
      this.logger.warn("pubsub subscription exists with another filter; filters are immutable, recreate it to change", {
        subscription: id,
        existing: metadata.filter,
        wanted: options.filter,
      });
    }
  }
}

const notFound = (name: string): Error => Object.assign(new Error(`${name} does not exist`), { code: 5 });
