export * from "./aws-broker.js";
export * from "./aws-broker-module.js";
export * from "./aws-config.js";
export { DEAD_LETTER_ATTRIBUTE, MAX_ATTRIBUTES, PACKED_ATTRIBUTE } from "./message-attributes.js";
export { queueNames, topicName, type QueueNames } from "./names.js";
export { SnsPublisher } from "./sns-publisher.js";
export { SqsDeadLetters } from "./sqs-dead-letters.js";
export { SqsSubscriber, type SqsSubscriberDeps } from "./sqs-subscriber.js";
export { AwsTopology, type QueueRef } from "./topology.js";
