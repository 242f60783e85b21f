import { REPLAY_ATTRIBUTE } from "./message-attributes.js";

// The service refuses longer filters.
const MAX_FILTER_BYTES = 256;

const quote = (value: string): string => JSON.stringify(value);

/**
 * The Pub/Sub filter of a subscription: its event types (when given) and no replay meant for another subscription.
 * A type list too long for the service's 256 bytes is left to the consumer (`typesInFilter` false).
 */
export function subscriptionFilter(subscription: string, eventTypes: readonly string[] | undefined): {
  filter: string;
  typesInFilter: boolean;
} {
  const replay = `(NOT attributes:${REPLAY_ATTRIBUTE} OR attributes.${REPLAY_ATTRIBUTE} = ${quote(subscription)})`;
  if (eventTypes === undefined || eventTypes.length === 0) return { filter: replay, typesInFilter: true };
  const types = `(${eventTypes.map((type) => `attributes.type = ${quote(type)}`).join(" OR ")})`;
  const both = `${types} AND ${replay}`;
  if (Buffer.byteLength(both) <= MAX_FILTER_BYTES) return { filter: both, typesInFilter: true };
  return { filter: replay, typesInFilter: false };
}
