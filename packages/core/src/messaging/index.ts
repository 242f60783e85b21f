export * from "./cloud-event.js";
export * from "./cloud-event-codec.js";
export * from "./domain-event-envelope.js";
export * from "./topology.js";
export * from "./subscription-defaults.js";
export * from "./delivery-policy.js";
