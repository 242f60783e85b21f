export { AdministrationProvisioner } from "./admin-provisioner.js";
export * from "./azure-broker.js";
export * from "./azure-broker-module.js";
export * from "./azure-config.js";
export { ServiceBusDeadLetters } from "./servicebus-dead-letters.js";
export { ServiceBusPublisher } from "./servicebus-publisher.js";
export { ServiceBusSubscriber, type ServiceBusSubscriberDeps } from "./servicebus-subscriber.js";
export * from "./topology.js";
