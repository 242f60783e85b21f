import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mintToken } from "@tiffin/host-http";
import { ChaosProcess, freePort, runTiffin } from "./processes.js";
import type { InvariantResult, Scenario, ScenarioContext, ScenarioReport } from "./scenario.js";
import { ScenarioDatabase } from "./scenario-database.js";

/** One scenario's run: the parameters it ran with, its report, and how long it took. */
export interface ScenarioOutcome {
  readonly scenario: Scenario;
  readonly params: Readonly<Record<string, number>>;
  readonly report: ScenarioReport;
  readonly durationMs: number;
}

export const holdsAll = (outcome: ScenarioOutcome): boolean => outcome.report.invariants.every((i) => i.holds);

/**
 * Runs one scenario on a database of its own: creates and migrates it, seeds the demo catalog, hands the scenario a
 * context, and afterwards stops every process it started and drops the database, whatever happened. A scenario that
 * throws is reported as a failed invariant ("the scenario ran to the end"), so the run still prints the others.
 */
export async function runScenario(
  scenario: Scenario,
  overrides: Readonly<Record<string, number>>,
  options: { server: string; log: (line: string) => void },
): Promise<ScenarioOutcome> {
  const params = { ...scenario.defaults, ...overrides };
  const began = Date.now();
  const log = (line: string): void => options.log(`[${scenario.name}] ${line}`);
  const database = await ScenarioDatabase.create(options.server, scenario.name);
  const dataDir = await mkdtemp(join(tmpdir(), "tiffin-chaos-"));
  const processes: ChaosProcess[] = [];
  const secret = randomBytes(32).toString("hex");
  const baseEnv: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    TIFFIN_DATABASE_URL: database.url,
    TIFFIN_JWT_SECRET: secret,
    TIFFIN_DATA_DIR: dataDir,
    TIFFIN_HOST: "127.0.0.1",
    TIFFIN_LOG_LEVEL: "error",
    TIFFIN_LOG_FORMAT: "json",
    TIFFIN_DEMO_DATA: "false",
    // Three or four processes share one database server with the rest of the machine.
    TIFFIN_DATABASE_POOL_SIZE: "8",
  };
  let report: ScenarioReport;
  try {
    log(`database ${database.name}; params ${JSON.stringify(params)}`);
    await runTiffin(["migrate"], baseEnv);
    await runTiffin(["seed", "--demo"], baseEnv);
    const counters = new Map<string, number>();
    const ctx: ScenarioContext = {
      params,
      databaseUrl: database.url,
      log,
      token: (role, sub, restaurantId) => mintToken(secret, { role, sub, ...(restaurantId === undefined ? {} : { restaurantId }) }),
      start: async (command, processOptions = {}) => {
        const count = (counters.get(command) ?? 0) + 1;
        counters.set(command, count);
        const proc = new ChaosProcess(processOptions.name ?? `${command}-${count}`, command, await freePort(), { ...baseEnv, ...processOptions.env });
        processes.push(proc);
        await proc.start();
        return proc;
      },
    };
    report = await scenario.run(ctx);
  } catch (error) {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    report = { load: "(did not finish)", faults: "(did not finish)", invariants: [ranToTheEnd(error)] };
  } finally {
    await Promise.all(processes.map((p) => p.kill()));
    await database.drop().catch((error: unknown) => log(`could not drop ${database.name}: ${String(error)}`));
    await rm(dataDir, { recursive: true, force: true });
  }
  return { scenario, params, report, durationMs: Date.now() - began };
}

const ranToTheEnd = (error: unknown): InvariantResult => ({
  name: "the scenario ran to the end",
  holds: false,
  detail: error instanceof Error ? error.message.split("\n")[0] ?? error.message : String(error),
});
