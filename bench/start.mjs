/* global fetch, performance, setTimeout */
// Benchmark (a script, not a test): how fast `tiffin start` (embedded PGlite) is ready on a new data folder and on
// an existing one (BENCH_RUNS each, 3, median), what it holds in memory after ready and after BENCH_REQUESTS (300)
// public catalog reads, and `tiffin work` on the local PostgreSQL after ready (BENCH_DATABASE_URL). Each process
// loads bench/lib/memory-probe.mjs, which prints V8's and the process's memory figures on SIGUSR2, so the section
// says what the memory is. With BENCH_PROFILE=1, one warm start runs under --cpu-prof and its top frames are
// listed. Needs the workspaces built. Writes docs/PERFORMANCE.md's start section and bench/results/start.json.
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { topFrames, newestProfile } from "./lib/cpu-profile.mjs";
import { DEFAULT_DATABASE_URL, describeMachine, goal, writeResult, writeSection } from "./lib/report.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL;
const MAIN = fileURLToPath(new URL("../packages/cli/dist/main.js", import.meta.url));
const PROBE = fileURLToPath(new URL("./lib/memory-probe.mjs", import.meta.url));
const PORT = 3997;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (bytes) => Math.round(bytes / 1024 / 1024);

/** Starts `tiffin <command>` and resolves once it logged "tiffin ready", with the time that took. */
function launch(command, env, nodeFlags = []) {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeFlags, "--import", PROBE, MAIN, command], {
    env: { PATH: process.env.PATH, PORT: String(PORT), TIFFIN_HOST: "127.0.0.1", TIFFIN_LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const probes = [];
  child.stderr.on("data", (chunk) => {
    for (const line of String(chunk).split("\n")) if (line.startsWith("{\"memoryProbe\"")) probes.push(JSON.parse(line).memoryProbe);
  });
  const ready = new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      out += String(chunk);
      if (out.includes("tiffin ready")) resolve(performance.now() - started);
    });
    child.once("exit", (code) => reject(new Error(`tiffin ${command} exited ${code} before ready:\n${out.slice(-2000)}`)));
  });
  /** Asks the probe for the process's memory now. */
  const memory = async () => {
    const before = probes.length;
    child.kill("SIGUSR2");
    while (probes.length === before) await sleep(20);
    return probes[probes.length - 1];
  };
  const stop = () =>
    new Promise((resolve) => {
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  return { ready, memory, stop };
}

/** Public catalog reads: the search around the demo city, then each hit's menu. */
async function catalogLoad(count) {
  const base = `http://127.0.0.1:${PORT}`;
  let done = 0;
  while (done < count) {
    const search = await fetch(`${base}/v1/restaurants?lat=52.52&lng=13.405&radius_km=10&limit=20`);
    const { items = [] } = await search.json();
    done += 1;
    for (const restaurant of items.slice(0, 5)) {
      await (await fetch(`${base}/v1/restaurants/${restaurant.id}/menu`)).arrayBuffer();
      done += 1;
    }
    if (items.length === 0) throw new Error("the embedded catalog is empty: no demo data?");
  }
}

/** One embedded start on `dataDir`: time to ready, memory after ready and after the catalog load. */
async function embeddedStart(dataDir, { load = false, nodeFlags = [] } = {}) {
  const run = launch("start", { TIFFIN_DATA_DIR: dataDir }, nodeFlags);
  const ms = await run.ready;
  await sleep(500);
  const afterReady = await run.memory();
  let afterLoad = null;
  if (load) {
    await catalogLoad(REQUESTS);
    afterLoad = await run.memory();
  }
  await run.stop();
  return { ms, afterReady, afterLoad };
}

const folders = [];
const newFolder = () => {
  const dir = mkdtempSync(join(tmpdir(), "tiffin-start-"));
  folders.push(dir);
  return dir;
};

const fresh = [];
for (let i = 0; i < RUNS; i += 1) fresh.push(await embeddedStart(newFolder(), { load: i === 0 }));
const warmDir = folders[0];
const warm = [];
for (let i = 0; i < RUNS; i += 1) warm.push(await embeddedStart(warmDir, { load: i === 0 }));

let profile = null;
if (process.env.BENCH_PROFILE === "1") {
  const dir = mkdtempSync(join(tmpdir(), "tiffin-start-prof-"));
  folders.push(dir);
  await embeddedStart(warmDir, { nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${dir}`] });
  profile = topFrames(newestProfile(dir), 12);
}

// The worker on the local PostgreSQL, in a schema of its own, migrated first as a deployment does.
const schema = `bench_start_${randomUUID().slice(0, 8)}`;
const serverEnv = { TIFFIN_DATABASE_URL: DATABASE_URL, TIFFIN_DATABASE_SCHEMA: schema, TIFFIN_JWT_SECRET: "bench-secret-".padEnd(40, "x") };
const migrated = spawnSync(process.execPath, [MAIN, "migrate"], { env: { PATH: process.env.PATH, ...serverEnv }, encoding: "utf8" });
if (migrated.status !== 0) throw new Error(`tiffin migrate failed: ${migrated.stderr}`);
const worker = launch("work", serverEnv);
const workerReadyMs = await worker.ready;
await sleep(1000);
const workerMemory = await worker.memory();
await worker.stop();
spawnSync("psql", [DATABASE_URL, "-q", "-c", `DROP SCHEMA IF EXISTS "${schema}" CASCADE`]);
for (const dir of folders) rmSync(dir, { recursive: true, force: true });

const newMs = median(fresh.map((r) => r.ms));
const warmMs = median(warm.map((r) => r.ms));
const memoryCells = (m) =>
  `RSS ${mb(m.rss)} MB: V8 heap used ${mb(m.heapUsed)} of ${mb(m.heapTotal)} MB, external ${mb(m.external)} MB (array buffers ${mb(m.arrayBuffers)} MB), code and other ${mb(m.rss - m.heapTotal - m.external)} MB`;
const goals = [
  goal({ goal: "embedded ready <= 3 s on an existing data folder", measured: Math.round(warmMs), unit: "ms", atMost: 3_000 }),
  goal({ goal: "embedded ready <= 6 s on a new data folder", measured: Math.round(newMs), unit: "ms", atMost: 6_000 }),
  goal({ goal: "worker RSS <= 150 MB", measured: mb(workerMemory.rss), unit: "MB", atMost: 150 }),
];
const markdown = [
  "## Start-up and memory (`npm run bench:start`)",
  "",
  `${describeMachine()} at the end; ${RUNS} runs each, median; memory read in the process by bench/lib/memory-probe.mjs.`,
  "",
  "| what | measured | goal |",
  "|---|---|---|",
  `| \`tiffin start\` ready, new data folder (migrations, demo seed) | ${Math.round(newMs)} ms (runs: ${fresh.map((r) => Math.round(r.ms)).join(", ")}) | 6 s |`,
  `| \`tiffin start\` ready, existing data folder | ${Math.round(warmMs)} ms (runs: ${warm.map((r) => Math.round(r.ms)).join(", ")}) | 3 s |`,
  `| embedded memory after ready | ${memoryCells(warm[0].afterReady)} | |`,
  `| embedded memory after ${REQUESTS} catalog reads | ${memoryCells(warm[0].afterLoad)} | |`,
  `| \`tiffin work\` on PostgreSQL after ready (${Math.round(workerReadyMs)} ms) | ${memoryCells(workerMemory)} | 150 MB |`,
  ...(profile === null
    ? []
    : ["", "Top frames by self time of one warm start (`BENCH_PROFILE=1`):", "", "| frame | self % |", "|---|---|", ...profile.map((f) => `| ${f.frame} | ${f.selfPercent.toFixed(1)} |`)]),
].join("\n");
console.log(markdown);
writeSection("start", markdown);
writeResult({ name: "start", goals, notes: `${RUNS} runs each, median; worker measured idle after ready` });
