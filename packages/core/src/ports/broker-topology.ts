import type { SubscriptionSpec } from "./messaging.js";

/**
 * Optional ability of a broker adapter: creating (or updating) what subscriptions need on the broker (topic,
 * queues or subscriptions, filters, dead-letter targets), once per release, so running processes only look it up.
 * `tiffin topology` calls it with every subscription of the worker.
 */
export interface BrokerTopology {
  /** Idempotent. Resolves to one line per resource ensured, for the operator. */
  ensureTopology(specs: readonly SubscriptionSpec[]): Promise<readonly string[]>;
}
