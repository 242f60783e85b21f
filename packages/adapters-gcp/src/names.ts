import type { ResolvedGcpBrokerConfig } from "./gcp-config.js";

/** The Pub/Sub resources behind one Tiffin subscription. */
export interface SubscriptionNames {
  /** The Pub/Sub subscription id. */
  readonly subscription: string;
  /** Dead-letter topic id and its pull subscription id (the same). */
  readonly deadLetters: string;
}

export const topicId = (config: ResolvedGcpBrokerConfig, topic: string): string => config.topicIds[topic] ?? topic;

export function subscriptionNames(config: ResolvedGcpBrokerConfig, subscription: string): SubscriptionNames {
  const id = `${config.subscriptionPrefix}${subscription}`;
  return { subscription: id, deadLetters: `${id}-dead-letters` };
}

/** The Tiffin subscription of a Pub/Sub subscription id, or undefined if it is not one of ours. */
export function tiffinSubscription(config: { readonly subscriptionPrefix: string }, pubsubId: string): string | undefined {
  return pubsubId.startsWith(config.subscriptionPrefix) ? pubsubId.slice(config.subscriptionPrefix.length) : undefined;
}
