export * from "./in-memory-broker.js";
export * from "./size-limited-publisher.js";
