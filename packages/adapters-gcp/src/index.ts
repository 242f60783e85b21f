export * from "./gcp-broker.js";
export * from "./gcp-broker-module.js";
export * from "./gcp-config.js";
export { DEAD_LETTER_ATTRIBUTE, REPLAY_ATTRIBUTE } from "./message-attributes.js";
export { subscriptionNames, topicId, type SubscriptionNames } from "./names.js";
export { PubSubDeadLetters } from "./pubsub-dead-letters.js";
export { PubSubPublisher } from "./pubsub-publisher.js";
export { PubSubSubscriber, type PubSubSubscriberDeps } from "./pubsub-subscriber.js";
export { PubSubTopology, type SubscriptionRef } from "./topology.js";
