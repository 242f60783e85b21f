import type { Scenario } from "../scenario.js";
import { apiCrashes } from "./api-crashes.js";
import { databaseFaults } from "./database-faults.js";
import { fuzz } from "./fuzz.js";
import { poison } from "./poison.js";
import { providerChaos } from "./provider-chaos.js";
import { soak } from "./soak.js";
import { tenantSweep } from "./tenant-sweep.js";
import { workerCrashes } from "./worker-crashes.js";

/** Every scenario, in the order a full run takes them: one line each. */
export const SCENARIOS: readonly Scenario[] = [
  workerCrashes,
  apiCrashes,
  providerChaos,
  databaseFaults,
  poison,
  fuzz,
  tenantSweep,
  soak,
];
