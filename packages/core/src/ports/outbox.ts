import type { CloudEvent } from "../messaging/cloud-event.js";

/** One pending message with its place in its key's sequence. */
export interface OutboxRecord {
  /** Store-assigned, increasing in append order. */
  readonly position: number;
  readonly topic: string;
  /** The ordering key (the order id); messages with one key are published in `position` order. */
  readonly key: string;
  readonly message: CloudEvent;
}

/**
 * Messages written in the same transaction as the state change that caused them (transactional outbox).
 * Delivery is at-least-once: a claimed batch whose relay dies is claimed again after its lease.
 */
export interface Outbox {
  /** Appends messages in the caller's transaction; each is keyed by its `subject` (or its id when absent). */
  append(topic: string, messages: readonly CloudEvent[]): Promise<void>;

  /**
   * Claims up to `limit` pending records for `relayId` for `leaseMs`. While a relay holds a key, no other
   * relay is given any record of that key, and within a key the returned records are the oldest pending ones
   * in `position` order, so per-key order survives several relays.
   */
  claim(relayId: string, limit: number, leaseMs: number): Promise<OutboxRecord[]>;

  /** Marks records sent (they are never claimed again) and releases their keys. Only the holding relay may. */
  markSent(relayId: string, positions: readonly number[]): Promise<void>;

  /** Gives records back unsent (e.g. the broker failed) so they are claimed again at once. */
  release(relayId: string, positions: readonly number[]): Promise<void>;

  /** How many records wait to be sent. */
  pending(): Promise<number>;
}
