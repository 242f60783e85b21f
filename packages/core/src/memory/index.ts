export { InMemoryDatabase } from "./in-memory-database.js";
export { InMemoryUnitOfWork } from "./in-memory-unit-of-work.js";
export { RandomIds, SystemClock, systemClock } from "./system-clock.js";
export { RowLevelSecurityError } from "./visibility.js";
export * from "./broker/index.js";
export { InMemoryProviderStore } from "./simulated-provider-store.js";
export { InMemoryViewChanges } from "./view-changes.js";
