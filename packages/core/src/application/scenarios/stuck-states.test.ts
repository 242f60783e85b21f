import { afterEach } from "vitest";
import { Scenario } from "../../testing/scenario.js";
import { describeStuckStateScenarios } from "../../testing/scenarios/stuck-states.scenarios.js";

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

describeStuckStateScenarios("in memory", async (options) => {
  scenario = await new Scenario(options).start();
  return scenario;
});
