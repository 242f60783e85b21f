export * from "./config.errors.js";
export * from "./config.js";
export type { Env } from "./env-readers.js";
export * from "./dev-secret.js";
export * from "./worker-endpoints-config.js";
