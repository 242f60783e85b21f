export * from "./in-memory-broker.js";
