// `npm run bench`: every benchmark in sequence (never two at once: they measure the same CPUs), then a summary table
// in docs/PERFORMANCE.md from the results they left in bench/results/. A bench whose npm script does not exist is
// skipped with a line saying so; one that fails is reported and the run goes on. Not run in CI.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RESULTS_DIR, describeMachine, readResult, writeSection } from "./lib/report.mjs";

/** In the order they run: the placement path first, the heavier start-up and streaming benches after. */
export const BENCHES = ["http", "transport", "lifecycle", "sse", "start", "positions", "search", "after-commit"];

const root = fileURLToPath(new URL("..", import.meta.url));
const scripts = JSON.parse(readFileSync(`${root}/package.json`, "utf8")).scripts;
const only = process.argv.slice(2);
const chosen = only.length > 0 ? BENCHES.filter((name) => only.includes(name)) : BENCHES;

const outcomes = [];
for (const name of chosen) {
  const script = `bench:${name}`;
  if (scripts[script] === undefined) {
    console.log(`- ${script}: skipped, no such script yet`);
    outcomes.push({ name, state: "skipped (no script)" });
    continue;
  }
  // A stale result must not pass for this run's.
  rmSync(`${RESULTS_DIR}/${name}.json`, { force: true });
  console.log(`- ${script}: running`);
  const run = spawnSync("npm", ["run", "--silent", script], { cwd: root, stdio: "inherit" });
  const result = readResult(name);
  outcomes.push({ name, state: run.status === 0 ? (result === undefined ? "ran, left no result" : "ran") : `failed (exit ${run.status})`, result });
}

const cell = (x, unit) => (x === null || x === undefined ? "" : `${typeof x === "number" ? Number(x.toFixed(2)).toLocaleString("en") : x}${unit && x !== null ? ` ${unit}` : ""}`);
const rows = outcomes.flatMap(({ name, state, result }) =>
  result === undefined || result.goals.length === 0
    ? [`| ${name} | ${state} | | | | |`]
    : result.goals.map((g) => `| ${name} | ${g.goal} | ${cell(g.measured, g.unit)} | ${cell(g.reference, g.unit)} | ${cell(g.ratio)} | ${g.met ? "yes" : "no"} |`),
);
const markdown = [
  "## Summary (`npm run bench`)",
  "",
  `${describeMachine()} at the end. Each bench's own section below has its figures and conditions.`,
  "",
  "| bench | goal | measured | reference | ratio | met? |",
  "|---|---|---|---|---|---|",
  ...rows,
].join("\n");
console.log(markdown);
if (only.length === 0) writeSection("summary", markdown);
