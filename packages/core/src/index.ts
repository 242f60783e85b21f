export * from "./domain/index.js";
export * from "./messaging/index.js";
export * from "./ports/index.js";
