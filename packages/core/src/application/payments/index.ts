export { PaymentSagaRunner, type OrderFact, type PaymentSagaConfig, type PaymentSagaDeps } from "./payment-saga-runner.js";
export { type CircuitTransition, DEFAULT_RESILIENCE, gatewayPipeline, type ResilienceConfig } from "./resilience.js";
export { PAYMENT_SAGA_EVENT_TYPES } from "./saga-input.js";
