export * from "./config.js";
export { startServiceBusEmulator, STANDARD_TIER_MAX_MESSAGE_BYTES, type EmulatorOptions, type ServiceBusEmulator } from "./emulator.js";
export { BrokerError, CONDITIONS, MessageQueue, type Settlement } from "./message-queue.js";
export { Namespace } from "./namespace.js";
export { compileSqlFilter, type FilterableMessage } from "./sql-filter.js";
