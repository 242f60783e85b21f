import type { Scenario } from "../scenario.js";
import { apiCrashes } from "./api-crashes.js";
import { providerChaos } from "./provider-chaos.js";
import { workerCrashes } from "./worker-crashes.js";

/** Every scenario, in the order a full run takes them: one line each. */
export const SCENARIOS: readonly Scenario[] = [
  workerCrashes,
  apiCrashes,
  providerChaos,
];
