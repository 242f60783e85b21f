export * from "./instrumented-subscriber.js";
export * from "./metrics.js";
export * from "./trace-context.js";
export * from "./tracing-publisher.js";
export * from "./tracing-unit-of-work.js";
