export * from "./config-error.js";
export * from "./broker-factory.js";
export { type Env, flag, fraction, hostPort, integer, oneOf, optional, required, url } from "./env-readers.js";
