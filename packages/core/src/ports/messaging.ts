import type { CloudEvent } from "../messaging/cloud-event.js";
import type { EncodedMessage } from "../messaging/cloud-event-codec.js";

/**
 * Publishes CloudEvents to a topic. `publish` resolves only after the broker has durably accepted every
 * message; on rejection some messages may have been accepted (the caller retries; consumers dedupe by id).
 * Messages with the same `subject` are accepted in array order. Messages the broker refuses for good are reported
 * with `MessageRefusedError` naming them, so the caller can set them aside and keep the others flowing.
 */
export interface MessagePublisher {
  publish(topic: string, messages: readonly CloudEvent[]): Promise<void>;
  close(): Promise<void>;
}

/** How a consumer group reads a topic. */
export interface SubscriptionSpec {
  readonly topic: string;
  /** The consumer group: processes subscribing with one name share its messages. */
  readonly subscription: string;
  /** Only these event types are delivered (all when absent). */
  readonly eventTypes?: readonly string[];
  /** Deliveries before a message is dead-lettered (default 5). */
  readonly maxDeliveries?: number;
  /** Handlers running at once in this process (default 10). */
  readonly concurrency?: number;
  /**
   * Redelivery delay after a failure: `min * 2^(attempt-1)` capped at `max`, with jitter that keeps at least half
   * of it, so delays never shrink by more than the jitter (defaults 1 s, 60 s).
   */
  readonly retry?: { readonly minDelayMs: number; readonly maxDelayMs: number };
}

/** What a handler knows about the delivery besides the message. */
export interface DeliveryInfo {
  readonly subscription: string;
  /** 1 on first delivery. */
  readonly attempt: number;
}

/**
 * Handles one message. Resolving acknowledges it. Throwing makes it redelivered later with growing delay;
 * an error with `transient: false` dead-letters it at once.
 */
export type MessageHandler = (message: CloudEvent, delivery: DeliveryInfo) => Promise<void>;

/** A running consumer. */
export interface Subscription {
  /** Stops new deliveries, waits for in-flight handlers to settle, and resolves. Unacked messages stay queued. */
  close(): Promise<void>;
}

/**
 * Reads subscriptions. Delivery is at-least-once; a message is not handed to two handlers of one subscription
 * at the same time. `subscribe` creates the subscription durably if needed before it resolves, so messages
 * published after it resolves are kept for it even while no process consumes.
 */
export interface MessageSubscriber {
  subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription>;
  /** Closes every subscription this subscriber opened. */
  close(): Promise<void>;
}

/** A message that a subscription gave up on. */
export interface DeadLetter {
  readonly id: string;
  readonly subscription: string;
  /** Null when the message could not be parsed; `raw` then holds what arrived. */
  readonly message: CloudEvent | null;
  readonly raw: EncodedMessage;
  readonly reason: string;
  readonly attempts: number;
  readonly deadLetteredAt: string;
}

/** The dead-letter queues of subscriptions. */
export interface DeadLetters {
  /** Dead letters of a subscription, oldest first. */
  list(subscription: string, options?: { limit?: number }): Promise<DeadLetter[]>;
  /**
   * Sends the dead letter back to its subscription (only there, not to the topic's other subscriptions) as a
   * fresh delivery and removes it from the dead-letter queue. Resolves true when the letter was sent back, false
   * when there is no dead letter with that id (it never existed, or was replayed already): a repeat sends nothing.
   */
  replay(deadLetterId: string): Promise<boolean>;
}

/** Optional ability: how many messages wait in a subscription. */
export interface QueueDepth {
  depth(subscription: string): Promise<number>;
}

export const canReportDepth = (value: object): value is QueueDepth =>
  typeof (value as Partial<QueueDepth>).depth === "function";

/**
 * Optional ability of a publisher: the largest message its broker accepts, and how it counts a message against it
 * (body plus attributes, as that broker measures). A message past the limit is refused with `MessageRefusedError`.
 */
export interface MessageSizeLimit {
  readonly maxMessageBytes: number;
  messageBytes(message: CloudEvent): number;
}

export const hasMessageSizeLimit = (value: object): value is MessageSizeLimit =>
  typeof (value as Partial<MessageSizeLimit>).messageBytes === "function" &&
  typeof (value as Partial<MessageSizeLimit>).maxMessageBytes === "number";
