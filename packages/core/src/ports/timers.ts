/** A durable wake-up. */
export interface Timer {
  readonly id: string;
  /** What to do when it fires, e.g. `offer.expire`. */
  readonly kind: string;
  /** Deduplication key: scheduling a key that is already pending changes nothing. */
  readonly key: string;
  readonly dueAt: string;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * Durable delayed wake-ups that survive restarts. A due timer is handed to exactly one poller at a time;
 * if that poller dies before `complete`, the timer is handed out again after its lease (at-least-once).
 */
export interface Timers {
  /** Schedules in the caller's transaction; a pending timer with the same key is left as it is. */
  schedule(timer: Timer): Promise<void>;

  /** True when a timer whose key starts with `keyPrefix` is pending (scheduled, not yet completed or cancelled). */
  hasPending(keyPrefix: string): Promise<boolean>;

  /** Cancels the pending timer with this key, if any. */
  cancel(key: string): Promise<void>;

  /** Claims up to `limit` timers due at `now` for `owner` for `leaseMs`; competing pollers get disjoint sets. */
  claimDue(owner: string, now: Date, limit: number, leaseMs: number): Promise<Timer[]>;

  /** Removes a fired timer. */
  complete(owner: string, timerId: string): Promise<void>;
}
