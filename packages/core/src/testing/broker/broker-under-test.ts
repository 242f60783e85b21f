import type { EncodedMessage } from "../../messaging/cloud-event-codec.js";
import type { DeadLetters, MessagePublisher, MessageSubscriber, QueueDepth } from "../../ports/messaging.js";

/** One broker adapter wired up for a contract test. The factory is called once per test. */
export interface BrokerUnderTest {
  readonly publisher: MessagePublisher;
  readonly subscriber: MessageSubscriber;
  readonly deadLetters: DeadLetters;
  /** Present when the adapter reports queue depth (feature `queueDepth`). */
  readonly depth?: QueueDepth;
  /** Puts bytes on a topic as a foreign producer would, bypassing the CloudEvents codec (poison messages). */
  publishRaw(topic: string, message: EncodedMessage): Promise<void>;
  /**
   * A fresh subscriber on the same durable state, as a restarted process would build (feature `persistent`).
   * The suite closes the previous subscriber first; the contract closes the returned one after the test.
   */
  restart?(): Promise<{ subscriber: MessageSubscriber }>;
  /** Closes publisher, subscriber and anything the factory started. */
  close(): Promise<void>;
}

/** What the adapter guarantees; tests for missing features are reported as skipped. */
export interface BrokerFeatures {
  /** Subscriptions outlive the subscriber process (needs `restart`). */
  readonly persistent: boolean;
  /** Messages with one `subject` are handled one at a time in publish order, retries included. */
  readonly orderingKeys: boolean;
  /** Redelivery delays are observable and follow `spec.retry`. */
  readonly backoff: boolean;
  /** Dead letters can be replayed to their subscription. */
  readonly replay: boolean;
  /** Largest message carried: UTF-8 JSON body plus attribute names and values, in bytes. */
  readonly maxPayloadBytes: number;
  /** `depth` is provided and counts waiting messages. */
  readonly queueDepth: boolean;
  /**
   * Smallest retry delay the adapter honours closely: at least its polling interval or timer granularity (SQS
   * visibility is in whole seconds: 1 000). The backoff test allows one such delay of scheduling noise.
   */
  readonly minRetryDelayMs: number;
  /** How long the suite waits for an expected delivery before failing (default 5 000 ms). */
  readonly deliveryTimeoutMs?: number;
}

/** Builds a broker for one test. */
export type BrokerFactory = () => Promise<BrokerUnderTest>;
