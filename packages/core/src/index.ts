export * from "./domain/index.js";
export * from "./messaging/index.js";
export * from "./ports/index.js";
export * from "./application/index.js";
export * from "./simulated/index.js";
export * from "./configuration/index.js";
