export * from "./config/index.js";
export * from "./lifecycle/index.js";
export * from "./logging/index.js";
export * from "./telemetry/index.js";
export * from "./seed/index.js";
export * from "./composition/index.js";
export { startTelemetry, type TelemetryHandle } from "./telemetry/start.js";
