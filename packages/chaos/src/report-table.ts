import { type ScenarioOutcome, holdsAll } from "./run-scenario.js";

const cell = (text: string): string => text.replaceAll("|", "\\|").replaceAll("\n", " ");

const seconds = (ms: number): string => `${(ms / 1000).toFixed(0)} s`;

const invariantLine = (outcome: ScenarioOutcome): string =>
  outcome.report.invariants.map((i) => `${i.holds ? "✓" : "✗"} ${i.name}: ${i.detail}`).join("<br>");

const figuresLine = (outcome: ScenarioOutcome): string =>
  Object.entries(outcome.report.figures ?? {}).map(([name, value]) => `${name}: ${typeof value === "number" ? value.toLocaleString("en-US") : value}`).join("; ");

/** The Markdown table of a run: one row per scenario, every figure from the run itself. */
export function markdownTable(outcomes: readonly ScenarioOutcome[]): string {
  const rows = outcomes.map((o) =>
    `| **${o.scenario.name}**: ${cell(o.scenario.summary)} | ${cell(o.report.load)} | ${cell(o.report.faults)} | ${cell(invariantLine(o))} | ${cell(figuresLine(o))} | ${seconds(o.durationMs)} | ${holdsAll(o) ? "pass" : "**FAIL**"} |`,
  );
  return ["| scenario | load | faults injected | invariants checked (counts) | figures | duration | result |", "|---|---|---|---|---|---|---|", ...rows].join("\n");
}

/** The same outcomes for a terminal: each scenario, then each invariant on its own line. */
export function consoleReport(outcomes: readonly ScenarioOutcome[]): string {
  return outcomes
    .map((o) =>
      [
        `${holdsAll(o) ? "PASS" : "FAIL"} ${o.scenario.name} (${seconds(o.durationMs)}) ${JSON.stringify(o.params)}`,
        `  load:   ${o.report.load}`,
        `  faults: ${o.report.faults}`,
        ...o.report.invariants.map((i) => `  ${i.holds ? "ok  " : "FAIL"} ${i.name}: ${i.detail}`),
        ...(o.report.figures === undefined ? [] : [`  figures: ${figuresLine(o)}`]),
      ].join("\n"),
    )
    .join("\n\n");
}
