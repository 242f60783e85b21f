import { parseResourceName } from "./resource-names.js";
import { backoffSeconds, type SubscriptionResource } from "./subscription-config.js";
import type { AttributeFilter } from "./subscription-filter.js";
import { SubscriptionQueue, type Delivery, type LeaseHolder, type StoredMessage } from "./subscription-queue.js";

/** Something that takes deliveries when the subscription has them: a stream, a waiting pull, the push deliverer. */
export interface Consumer extends LeaseHolder {
  /** Takes what it can from the queue; called whenever something may have become deliverable. */
  offer(queue: SubscriptionQueue): void;
}

/** Forwards a dead-lettered message to a topic by name; false if the topic does not exist. */
export type DeadLetterForwarder = (topic: string, message: StoredMessage, attributes: Record<string, string>) => boolean;

/** A subscription while the emulator runs: its resource, compiled filter, backlog and connected consumers. */
export class SubscriptionRuntime {
  readonly queue: SubscriptionQueue;
  readonly consumers = new Set<Consumer>();
  private pumping = false;
  private pumpAgain = false;

  constructor(
    public resource: SubscriptionResource,
    public filter: AttributeFilter,
    readonly secondMs: number,
    forward: DeadLetterForwarder,
  ) {
    const { project, id } = parseResourceName(resource.name, "subscriptions");
    this.queue = new SubscriptionQueue(
      resource.name,
      () => ({
        ordering: this.resource.enableMessageOrdering,
        maxDeliveryAttempts: this.resource.deadLetterPolicy?.maxDeliveryAttempts,
        backoffMs: (attempt) => backoffSeconds(this.resource, attempt) * this.secondMs,
        forwardToDeadLetter: (message, attempts) => {
          const policy = this.resource.deadLetterPolicy;
          if (policy === null) return false;
          // The attributes the service adds when it forwards (https://cloud.google.com/pubsub/docs/handling-failures).
          return forward(policy.deadLetterTopic, message, {
            ...message.attributes,
            CloudPubSubDeadLetterSourceDeliveryCount: String(attempts),
            CloudPubSubDeadLetterSourceSubscription: id,
            CloudPubSubDeadLetterSourceSubscriptionProject: project,
            CloudPubSubDeadLetterSourceTopicPublishTime: message.publishTime.toISOString(),
          });
        },
      }),
      () => this.pump(),
    );
  }

  get ackDeadlineMs(): number {
    return this.resource.ackDeadlineSeconds * this.secondMs;
  }

  /** `delivery_attempt` is only set when the subscription has a dead-letter policy. */
  deliveryAttempt(delivery: Delivery): number {
    return this.resource.deadLetterPolicy === null ? 0 : delivery.attempt;
  }

  accept(message: StoredMessage): void {
    // Messages a filter rejects are acknowledged automatically: they never enter the backlog.
    if (this.filter(message.attributes)) this.queue.enqueue(message);
  }

  attach(consumer: Consumer): void {
    this.consumers.add(consumer);
    this.pump();
  }

  detach(consumer: Consumer): void {
    this.consumers.delete(consumer);
  }

  close(): void {
    this.queue.close();
    this.consumers.clear();
  }

  /** Offers the backlog to every consumer, in turn; re-entrant calls run once more after the current pass. */
  pump(): void {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        for (const consumer of [...this.consumers]) consumer.offer(this.queue);
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }
}
