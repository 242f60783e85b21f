export * from "../memory/index.js";
export * from "./fake-clock.js";
export * from "./sequential-ids.js";
export * from "./stores/index.js";
export * from "./broker/index.js";
export * from "./decider-specification.js";
export * from "./provider/index.js";
export * from "./scenario.js";
