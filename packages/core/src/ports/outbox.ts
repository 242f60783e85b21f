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

/** A record the broker refused for good, kept aside with the reason until an admin restores it. */
export interface SetAsideRecord extends OutboxRecord {
  readonly reason: string;
  /** ISO time it was set aside. */
  readonly setAsideAt: string;
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
   * in `position` order, so per-key order survives several relays. With `keys`, only records of those keys are
   * claimed (publishing right after the commit that wrote them). A key with a set-aside record is held: none of its
   * records after the set-aside one is claimed until that one is restored.
   */
  claim(relayId: string, limit: number, leaseMs: number, options?: { readonly keys?: readonly string[] }): Promise<OutboxRecord[]>;

  /** Marks records sent (they are never claimed again) and releases their keys. Only the holding relay may. */
  markSent(relayId: string, positions: readonly number[]): Promise<void>;

  /** Gives records back unsent (e.g. the broker failed) so they are claimed again at once. */
  release(relayId: string, positions: readonly number[]): Promise<void>;

  /**
   * Takes a claimed record out of line because the broker refused it for good, keeping it with `reason`; it holds its
   * key (see `claim`). Only the holding relay may; the key's lease is released.
   */
  setAside(relayId: string, position: number, reason: string): Promise<void>;

  /** Set-aside records, oldest first. */
  setAsideRecords(options?: { readonly limit?: number }): Promise<SetAsideRecord[]>;

  /**
   * Puts a set-aside record back in line at its old position (so it is its key's next record again) and wakes the
   * relays. False when no record is set aside at `position`, so a repeat changes nothing.
   */
  restore(position: number): Promise<boolean>;

  /** How many records wait to be sent (held ones included, set-aside ones not). */
  pending(): Promise<number>;
}
