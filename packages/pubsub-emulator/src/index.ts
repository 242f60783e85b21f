export { startPubSubEmulator, type PubSubEmulator, type PubSubEmulatorOptions } from "./pubsub-emulator.js";
export type { OidcSigner } from "./push-delivery.js";
export { compileFilter, type AttributeFilter } from "./subscription-filter.js";
export { LIMITS as PUBSUB_LIMITS } from "./message-limits.js";
export { createTestOidcKey, type TestOidcKey } from "./oidc-signer.js";
