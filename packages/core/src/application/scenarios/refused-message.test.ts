import { afterEach } from "vitest";
import { Scenario } from "../../testing/scenario.js";
import { describeRefusedMessageScenarios } from "../../testing/scenarios/refused-message.scenarios.js";

let scenario: Scenario | undefined;
afterEach(async () => {
  await scenario?.dispose();
  scenario = undefined;
});

describeRefusedMessageScenarios("in memory", async (options) => {
  scenario = await new Scenario(options).start();
  return scenario;
});
