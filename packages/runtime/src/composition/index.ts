export { pgliteDir, selectAdapters, type AdapterSelection } from "./adapter-modules.js";
export { coreModule } from "./core-module.js";
export { Platform } from "./platform.js";
export { pushReceiverFor } from "./push-receivers.js";
export { RUNTIME_TOKENS, type HealthProbe } from "./tokens.js";
