export * from "./in-memory-broker.js";
export * from "./redelivery.js";
