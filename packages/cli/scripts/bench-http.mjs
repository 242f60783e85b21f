/* global fetch, setTimeout */
// Benchmark (a script, not a test): order placement, `POST /v1/orders` through `tiffin serve` on PostgreSQL, next to
// two references measured in the same run: the pgbench ceiling (an order row and an outbox row per transaction,
// Postgres alone) and the naive baseline (a bare fastify + pg route doing those two inserts, bench/). Distinct
// Idempotency-Keys from BENCH_CUSTOMERS customers over BENCH_CONNECTIONS connections for BENCH_DURATION seconds each.
// Needs the local PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), pgbench and the
// workspaces built. BENCH_CPU_PROF=<dir> profiles the API (node --cpu-prof) and adds its top frames to the section.
// Writes docs/PERFORMANCE.md's http section and bench/results/http.json.
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { mintToken } from "@tiffin/host-http";
import { DEFAULT_DATABASE_URL, PLACEMENT_SCHEMA, describeMachine, goal, machine, pgbenchCeiling, scratchDatabase, writeResult, writeSection } from "../../../bench/lib/report.mjs";
import { framesTable, newestProfile, topFrames } from "../../../bench/lib/cpu-profile.mjs";
import { cpuMeter, ms, ownCpuSeconds, processCpuSeconds } from "../../../bench/lib/cpu-time.mjs";

const env = process.env;
const DATABASE_URL = env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL;
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 50);
const DURATION = Number(env.BENCH_DURATION ?? 20);
const CUSTOMERS = Number(env.BENCH_CUSTOMERS ?? 50);
const PORT = Number(env.BENCH_PORT ?? 3999);
const PROFILE_DIR = env.BENCH_CPU_PROF;
const SECRET = "bench-secret-".padEnd(40, "x");
/** p99 goal at CONNECTIONS connections. */
const P99_GOAL_MS = 25;

const body = JSON.stringify({
  restaurantId: "r-curry-house",
  items: [{ itemId: "butter-chicken", quantity: 1, options: ["hot", "naan"] }],
  deliveryAddress: { lat: 52.521, lng: 13.41 },
});

async function until(ready, child, what) {
  for (let i = 0; !(await ready()); i += 1) {
    if (i > 600 || child.exitCode !== null) throw new Error(`${what} did not become ready`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stop(child) {
  child.kill("SIGTERM");
  if (child.exitCode === null) await new Promise((resolve) => child.once("exit", resolve));
}

/**
 * A short warm-up (connections opened, code optimised, caches filled), then the measured run, with the CPU it cost
 * per request: the whole machine's, the server process's, this process's (autocannon) and the rest (Postgres).
 */
async function load(url, path, headersFor, server) {
  const options = (amount) => ({
    url,
    connections: CONNECTIONS,
    ...amount,
    requests: [{ method: "POST", path, body, setupRequest: (request) => ({ ...request, headers: headersFor() }) }],
  });
  await autocannon(options({ duration: 2 }));
  const meter = cpuMeter({ server: () => processCpuSeconds(server.pid), loadgen: ownCpuSeconds });
  const result = await autocannon(options({ duration: DURATION }));
  const cpu = meter.stop(result.requests.total);
  return { rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, cpu };
}

// --- 1. the ceiling: Postgres alone
const ceilingMeter = cpuMeter();
const ceiling = pgbenchCeiling({ clients: CONNECTIONS, seconds: DURATION, url: DATABASE_URL });
const ceilingCpu = ceilingMeter.stop(ceiling * DURATION);
console.log(`pgbench ceiling: ${ceiling.toFixed(0)} tps`);

// --- 2. the naive baseline: the same two inserts behind a bare HTTP route
const naiveDb = scratchDatabase({ url: DATABASE_URL, prefix: "bench_naive", schemaFile: PLACEMENT_SCHEMA });
const naiveChild = spawn(process.execPath, [fileURLToPath(new URL("../../../bench/naive-placement.mjs", import.meta.url)), String(PORT), naiveDb.url], {
  stdio: ["ignore", "ignore", "inherit"],
});
const naiveUrl = `http://127.0.0.1:${PORT}`;
await until(() => fetch(`${naiveUrl}/orders`, { method: "POST", body, headers: { "content-type": "application/json" } }).then((r) => r.ok, () => false), naiveChild, "the naive baseline");
const naive = await load(naiveUrl, "/orders", () => ({ "content-type": "application/json" }), naiveChild);
await stop(naiveChild);
naiveDb.drop();
console.log(`naive baseline: ${naive.rate.toFixed(0)}/s, p99 ${naive.p99} ms`);

// --- 3. Tiffin: `tiffin serve` in a schema of its own, the demo catalog, CUSTOMERS customers
const schema = `bench_http_${randomUUID().slice(0, 8)}`;
const tokens = await Promise.all(Array.from({ length: CUSTOMERS }, (_, i) => mintToken(SECRET, { role: "customer", sub: `bench-customer-${i}` })));
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const tiffinEnv = { ...env, PORT: String(PORT), TIFFIN_HOST: "127.0.0.1", TIFFIN_DATABASE_URL: DATABASE_URL, TIFFIN_DATABASE_SCHEMA: schema, TIFFIN_JWT_SECRET: SECRET, TIFFIN_DEMO_DATA: "true", TIFFIN_LOG_LEVEL: "warn" };
const migrated = spawnSync(process.execPath, [main, "migrate"], { env: tiffinEnv, encoding: "utf8" });
if (migrated.status !== 0) throw new Error(`tiffin migrate failed: ${migrated.stderr}`);
if (PROFILE_DIR !== undefined) mkdirSync(PROFILE_DIR, { recursive: true });
const profileArgs = PROFILE_DIR === undefined ? [] : ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`];
const spawnedAt = Date.now();
const tiffin = spawn(process.execPath, [...profileArgs, main, "serve"], {
  env: tiffinEnv,
  stdio: ["ignore", "ignore", "inherit"],
});
const tiffinUrl = `http://127.0.0.1:${PORT}`;
await until(() => fetch(`${tiffinUrl}/health/ready`).then((r) => r.ok, () => false), tiffin, "tiffin serve");
const readyAfterMs = Date.now() - spawnedAt;
let n = 0;
const placement = await load(tiffinUrl, "/v1/orders", () => {
  n += 1;
  return { authorization: `Bearer ${tokens[n % CUSTOMERS]}`, "content-type": "application/json", "idempotency-key": randomUUID() };
}, tiffin);
await stop(tiffin);
const schemaDrop = spawn("psql", [DATABASE_URL, "-q", "-c", `DROP SCHEMA ${schema} CASCADE`], { stdio: "ignore" });
await new Promise((resolve) => schemaDrop.once("exit", resolve));
console.log(`tiffin placement: ${placement.rate.toFixed(0)}/s, p99 ${placement.p99} ms`);

// --- report
const ran = machine();
const ratio = (a, b) => (a / b).toFixed(2);
const latency = (r) => `p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`;
const profile =
  PROFILE_DIR === undefined
    ? ""
    : `\n\nTop frames of the API by self time (\`node --cpu-prof\`; start-up left out, so the warm-up and the run):\n\n${framesTable(topFrames(newestProfile(PROFILE_DIR), { skipMs: readyAfterMs }))}`;
const markdown = [
  "## Order placement (`npm run bench:http`)",
  "",
  `${describeMachine(ran)} at the end; ${CONNECTIONS} connections, ${DURATION} s per rate, ${CUSTOMERS} customers, a fresh Idempotency-Key per request.`,
  "",
  "| what | rate | latency | placement / it |",
  "|---|---|---|---|",
  `| \`POST /v1/orders\` through \`tiffin serve\` | ${placement.rate.toFixed(0)}/s | ${latency(placement)} | |`,
  `| pgbench ceiling: order + outbox row per transaction | ${ceiling.toFixed(0)} tps | | ${ratio(placement.rate, ceiling)} |`,
  `| naive baseline: bare fastify + pg route, the same two inserts | ${naive.rate.toFixed(0)}/s | ${latency(naive)} | ${ratio(placement.rate, naive.rate)} |`,
  "",
  "Where the CPU went, per request (per transaction for pgbench), over each measured run: the whole machine's busy time (`/proc/stat`), the server process's, the load generator's, and the rest (Postgres, mostly):",
  "",
  "| run | machine | server process | load generator | Postgres and the rest |",
  "|---|---|---|---|---|",
  `| pgbench ceiling (pgbench is the client) | ${ms(ceilingCpu.machine)} | | | |`,
  `| naive baseline | ${ms(naive.cpu.machine)} | ${ms(naive.cpu.server)} | ${ms(naive.cpu.loadgen)} | ${ms(naive.cpu.rest)} |`,
  `| \`tiffin serve\` | ${ms(placement.cpu.machine)} | ${ms(placement.cpu.server)} | ${ms(placement.cpu.loadgen)} | ${ms(placement.cpu.rest)} |`,
].join("\n") + profile;
console.log(markdown);
writeSection("http", markdown);
writeResult({
  name: "http",
  goals: [
    goal({ goal: "placement >= 1.0 x pgbench ceiling", measured: placement.rate, reference: ceiling, unit: "/s", atLeast: 1.0 }),
    goal({ goal: `placement p99 <= ${P99_GOAL_MS} ms at ${CONNECTIONS} connections`, measured: placement.p99, unit: "ms", atMost: P99_GOAL_MS }),
    goal({ goal: "placement / naive baseline", measured: placement.rate, reference: naive.rate, unit: "/s", atLeast: 1.0 }),
  ],
  notes: `${CONNECTIONS} connections, ${DURATION} s, ${CUSTOMERS} customers; non-2xx ${placement.non2xx}`,
});
