import { describe, expect, it } from "vitest";
import { runScenario } from "./run-scenario.js";
import { serverUrl } from "./scenario-database.js";
import { SCENARIOS } from "./scenarios/index.js";

/**
 * The reliability suite at its reduced size (each scenario's `reduced` parameters): real `tiffin serve` and `tiffin
 * work` processes on a database per scenario, faults injected, every invariant checked. It needs a PostgreSQL server
 * that may create databases (TIFFIN_TEST_DATABASE_URL), and the built CLI (`npm run test:e2e` builds first).
 * Scenarios without a reduced size are full-size only (`npm run chaos`).
 */
const server = process.env.TIFFIN_TEST_DATABASE_URL;
const reduced = SCENARIOS.filter((scenario) => scenario.reduced !== undefined);

describe.skipIf(server === undefined)("the reliability suite, reduced", () => {
  it.each(reduced.map((scenario) => [scenario.name, scenario] as const))(
    "%s: every invariant holds",
    async (_name, scenario) => {
      const outcome = await runScenario(scenario, scenario.reduced ?? {}, { server: serverUrl(), log: (line) => process.stderr.write(`${line}\n`) });
      const failed = outcome.report.invariants.filter((invariant) => !invariant.holds);
      expect(failed, outcome.report.invariants.map((i) => `${i.holds ? "ok" : "FAIL"} ${i.name}: ${i.detail}`).join("\n")).toEqual([]);
      expect(outcome.report.invariants.length).toBeGreaterThan(0);
    },
    // A bound so a stuck scenario ends the run, not a measurement: each one's settle wait is bounded inside as well.
    600_000,
  );
});
