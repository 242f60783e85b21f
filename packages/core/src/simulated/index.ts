export * from "./provider-store.js";
export { SimulatedFaults, type SimulatedFault, type SimulatedFaultRates, type SimulatedOperation } from "./simulated-faults.js";
export { SimulatedPaymentGateway, type SimulatedGatewayDeps, type SimulatedPaymentConfig } from "./simulated-payment-gateway.js";
export { SimulatedPayoutGateway, type SimulatedPayoutConfig } from "./simulated-payout-gateway.js";
