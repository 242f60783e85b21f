// What every benchmark script shares: the machine it ran on, the Postgres ceiling for a placement measured in the
// same run, the JSON result each bench leaves for `npm run bench`'s summary, and the section it writes in
// docs/PERFORMANCE.md. Plain ESM so scripts use it without a build.
import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
export const PERFORMANCE_FILE = here("../../docs/PERFORMANCE.md");
export const RESULTS_DIR = here("../results");
export const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test";

/** Where and when a figure was measured: a 2-core machine under load gives other figures than a quiet one. */
export function machine() {
  return { cores: cpus().length, loadavg: loadavg().map((x) => Number(x.toFixed(2))), node: process.version, date: new Date().toISOString() };
}

/** One line for a section's header: "Run 2026-12-02 05:00 UTC on 2 cores, load average 1.2, Node v20.19.0". */
export function describeMachine(m = machine()) {
  return `Run ${m.date.slice(0, 16).replace("T", " ")} UTC on ${m.cores} cores, load average ${m.loadavg[0].toFixed(1)}, Node ${m.node}`;
}

function psql(url, args) {
  const done = spawnSync("psql", [url, "-v", "ON_ERROR_STOP=1", "-q", ...args], { encoding: "utf8" });
  if (done.status !== 0) throw new Error(`psql ${args.join(" ")}: ${done.stderr}`);
  return done.stdout;
}

/**
 * A database of its own on the server of `url`, created now and dropped by `drop()`, with `schemaFile` loaded when
 * given: figures then do not depend on what else the target database holds.
 */
export function scratchDatabase({ url = process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL, prefix = "bench", schemaFile } = {}) {
  const name = `${prefix}_${randomUUID().slice(0, 8)}`;
  psql(url, ["-c", `CREATE DATABASE ${name}`]);
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  const scratch = parsed.toString();
  if (schemaFile !== undefined) psql(scratch, ["-f", schemaFile]);
  return { url: scratch, drop: () => psql(url, ["-c", `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]) };
}

/** The placement tables pgbench and the naive baseline write (bench/pgbench/schema.sql). */
export const PLACEMENT_SCHEMA = here("../pgbench/schema.sql");

/**
 * Transactions per second Postgres alone commits for one placement (an order row and an outbox row per transaction,
 * bench/pgbench), with `clients` connections for `seconds`, in a scratch database.
 */
export function pgbenchCeiling({ clients = 50, seconds = 20, url } = {}) {
  const scratch = scratchDatabase({ url, prefix: "bench_ceiling", schemaFile: PLACEMENT_SCHEMA });
  try {
    const run = spawnSync("pgbench", ["-n", "-j", "2", "-c", String(clients), "-T", String(seconds), "-f", here("../pgbench/c_order_outbox.sql"), scratch.url], { encoding: "utf8" });
    const tps = Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1] ?? NaN);
    if (!Number.isFinite(tps)) throw new Error(`pgbench gave no rate: ${run.stderr || run.stdout}`);
    return tps;
  } finally {
    scratch.drop();
  }
}

/**
 * Replaces the `<!-- name:start -->...<!-- name:end -->` section of docs/PERFORMANCE.md with `markdown` (the markers
 * are added here), or appends it when absent. Prose outside the markers is the reader's and stays as written.
 */
export function writeSection(name, markdown, file = PERFORMANCE_FILE) {
  const section = `<!-- ${name}:start -->\n${markdown.trim()}\n<!-- ${name}:end -->`;
  const current = existsSync(file)
    ? readFileSync(file, "utf8")
    : "# Performance\n\nEvery figure here comes from a benchmark script run on the machine and date it states, next to a reference measured in the same run.\n";
  const marked = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  writeFileSync(file, marked.test(current) ? current.replace(marked, () => section) : `${current.trimEnd()}\n\n${section}\n`);
}

/**
 * One goal of a bench, as the summary shows it. `measured` and `reference` are numbers in `unit`; `ratio` is
 * measured / reference. `met` is decided by the bench (a rate goal is met at or above its target, a latency goal at
 * or below): pass `atLeast` (the ratio or figure must reach it) or `atMost`, on `ratio` unless `on: "measured"`.
 */
export function goal({ goal, measured, reference = null, unit, atLeast, atMost, on = reference === null ? "measured" : "ratio" }) {
  const ratio = reference === null || reference === 0 ? null : Number((measured / reference).toFixed(3));
  const value = on === "ratio" ? ratio : measured;
  const met = value === null || !Number.isFinite(value) ? false : atLeast !== undefined ? value >= atLeast : atMost !== undefined ? value <= atMost : false;
  return { goal, measured, reference, ratio, met, unit };
}

/**
 * The file a bench leaves for the summary, `bench/results/<name>.json`:
 * `{ name, goals: [{ goal, measured, reference, ratio, met, unit }], notes, machine }` (see bench/README.md).
 */
export function writeResult({ name, goals, notes = "" }) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const result = { name, goals, notes, machine: machine() };
  writeFileSync(`${RESULTS_DIR}/${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

/** The result a bench left, or undefined when it did not run (or left none). */
export function readResult(name) {
  const file = `${RESULTS_DIR}/${name}.json`;
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

/** Percentile of numbers sorted ascending. */
export const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
