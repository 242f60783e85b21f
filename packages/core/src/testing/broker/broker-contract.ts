import { describe } from "vitest";
import type { BrokerFactory, BrokerFeatures } from "./broker-under-test.js";
import { useBroker } from "./contract-context.js";
import { deliveryContract } from "./delivery-contract.js";
import { envelopeContract } from "./envelope-contract.js";
import { failureContract } from "./failure-contract.js";

/**
 * The broker contract (after Watermill's universal pub/sub tests and Dapr's conformance suite): every adapter
 * runs it in one call. Each test builds its own broker and uses its own topic and subscriptions, so suites can
 * share one emulator; tests for features the adapter lacks are reported as skipped.
 */
export function describeBrokerContract(name: string, factory: BrokerFactory, features: BrokerFeatures): void {
  describe(`broker contract: ${name}`, () => {
    const ctx = useBroker(factory, features);
    describe("delivery", () => deliveryContract(ctx));
    describe("envelope", () => envelopeContract(ctx));
    describe("failures", () => failureContract(ctx));
  });
}
