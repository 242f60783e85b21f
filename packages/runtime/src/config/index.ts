export { ConfigError, ConfigErrorCode, isConfigError, type Env } from "@tiffin/core";
export * from "./brokers.js";
export * from "./auth-config.js";
export * from "./config.js";
export * from "./dev-secret.js";
export * from "./fault-settings-config.js";
export * from "./worker-endpoints-config.js";
