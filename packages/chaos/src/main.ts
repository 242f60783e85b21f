#!/usr/bin/env node
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { UsageError, parseArgs } from "./args.js";
import { consoleReport, markdownTable } from "./report-table.js";
import { writeTable } from "./reliability-doc.js";
import { type ScenarioOutcome, holdsAll, runScenario } from "./run-scenario.js";
import { serverUrl } from "./scenario-database.js";
import { SCENARIOS } from "./scenarios/index.js";

const DOC = fileURLToPath(new URL("../../../docs/RELIABILITY.md", import.meta.url));

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const chosen = args.scenario === undefined ? SCENARIOS : SCENARIOS.filter((s) => s.name === args.scenario);
  if (chosen.length === 0) throw new UsageError(`unknown scenario ${args.scenario}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
  const began = new Date();
  const load = loadavg()[0] ?? 0;
  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of chosen) {
    const overrides = { ...(args.reduced ? scenario.reduced : {}), ...args.params };
    outcomes.push(await runScenario(scenario, overrides, { server: serverUrl(), log: (line) => process.stderr.write(`${line}\n`) }));
  }
  const minutes = ((Date.now() - began.getTime()) / 60_000).toFixed(1);
  process.stdout.write(`${consoleReport(outcomes)}\n\n${outcomes.filter(holdsAll).length}/${outcomes.length} scenarios hold every invariant (${minutes} min)\n`);
  // Only a full run at full size stands for the suite; a single scenario or a resized one leaves the document alone.
  const full = args.scenario === undefined && !args.reduced && Object.keys(args.params).length === 0;
  if (full) {
    const header = `\`npm run chaos\`, ${began.toISOString().slice(0, 16).replace("T", " ")} UTC: ${minutes} min on ${cpus().length} cores, load average ${load.toFixed(1)} at the start (${(loadavg()[0] ?? 0).toFixed(1)} at the end).\n`;
    await writeTable(DOC, `${header}\n${markdownTable(outcomes)}`);
    process.stdout.write(`wrote the table to ${DOC}\n`);
  }
  return outcomes.every(holdsAll) ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof UsageError ? `usage: npm run chaos -- [scenario] [--<param> N ...] [--reduced]\n${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(2);
  },
);
