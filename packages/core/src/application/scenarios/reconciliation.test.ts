import { afterEach } from "vitest";
import { Scenario } from "../../testing/scenario.js";
import { describeReconciliationScenarios } from "../../testing/scenarios/reconciliation.scenarios.js";

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

describeReconciliationScenarios("in memory", async (options) => {
  scenario = await new Scenario(options).start();
  return scenario;
});
