export * from "./broker-contract.js";
export * from "./broker-under-test.js";
export { gate, testEvent, uniqueName } from "./contract-context.js";
export * from "./wait-for.js";
