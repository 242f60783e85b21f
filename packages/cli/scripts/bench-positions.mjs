/* global fetch, setTimeout, performance */
// Benchmark (a script, not a test): courier position ingestion and the nearest-courier query, for the database
// store and the Redis store, each next to its raw store's own rate measured in the same run. Needs the local
// PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), Redis (BENCH_REDIS_URL,
// default redis://127.0.0.1:6379/13, flushed), pgbench, and the workspaces built. Writes docs/PERFORMANCE.md's
// positions section and bench/results/positions.json.
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cpus, loadavg } from "node:os";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { DatabasePositions } from "@tiffin/core";
import { PostgresUnitOfWork, migrate, openDatabase } from "@tiffin/adapters-postgres";
import { RedisCourierPositions, connectRedis } from "@tiffin/adapters-redis";
import { mintToken } from "@tiffin/host-http";
import { goal, quantile, writeResult, writeSection } from "../../../bench/lib/report.mjs";

const env = process.env;
const DATABASE_URL = env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const REDIS_URL = env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379/13";
const COURIERS = Number(env.BENCH_COURIERS ?? 10_000);
const DURATION = Number(env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 50);
/** Couriers reporting through the API; each reports once before the measurement, as riders on shift already have. */
const API_COURIERS = Number(env.BENCH_API_COURIERS ?? 2_000);
const QUERIES = Number(env.BENCH_QUERIES ?? 2_000);
const SECRET = "bench-secret-".padEnd(40, "x");
const PORT = 3998;
const schema = `bench_positions_${randomUUID().slice(0, 8)}`;
const CENTRE = { lat: 52.52, lng: 13.405 };
/** 10,000 couriers spread over a 20 x 20 km city. */
const spot = (i) => ({ lat: CENTRE.lat + (((i * 7919) % 1000) / 1000 - 0.5) * 0.18, lng: CENTRE.lng + (((i * 104729) % 1000) / 1000 - 0.5) * 0.29 });
const courierId = (i) => `bench-c${i}`;
const psql = (sql) => {
  const done = spawnSync("psql", [DATABASE_URL, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], { encoding: "utf8" });
  if (done.status !== 0) throw new Error(done.stderr);
};
const ms = (x) => x.toFixed(2);

// --- the database: schema, couriers (directory rows), raw upsert rate with pgbench
const db = await openDatabase({ url: DATABASE_URL, schema, maxConnections: 20 });
await migrate(db);
psql(`INSERT INTO ${schema}.couriers (id, name, city, vehicle, speed_kmh, rate_per_km, available, active)
      SELECT 'bench-c' || i, 'Bench ' || i, 'berlin', 'bicycle', 15, '{"amount":100,"currency":"EUR"}', true, true FROM generate_series(0, ${COURIERS - 1}) i`);
const pgbenchScript = join(mkdtempSync(join(tmpdir(), "tiffin-bench-")), "position.sql");
writeFileSync(
  pgbenchScript,
  `\\set i random(0, ${COURIERS - 1})\nINSERT INTO ${schema}.courier_locations (courier_id, lat, lng, at) VALUES ('bench-c' || :i, 52.5, 13.4, now())
   ON CONFLICT (courier_id) DO UPDATE SET lat = excluded.lat, lng = excluded.lng, at = excluded.at WHERE ${schema}.courier_locations.at <= excluded.at;\n`,
);
const pgbench = spawnSync("pgbench", ["-n", "-j", "2", "-c", String(CONNECTIONS), "-T", String(DURATION), "-f", pgbenchScript, DATABASE_URL], { encoding: "utf8" });
const rawPg = Number(/tps = ([\d.]+)/.exec(pgbench.stdout)?.[1] ?? NaN);

// --- Redis: flushed, raw pipelined GEOADD rate
const redis = await connectRedis(REDIS_URL);
await redis.flushdb();
let rawRedisWrites = 0;
const rawStart = performance.now();
while (performance.now() - rawStart < DURATION * 1000) {
  const pipeline = redis.pipeline();
  for (let i = 0; i < 1_000; i += 1) pipeline.geoadd("raw:geo:berlin", spot(i).lng, spot(i).lat, courierId((rawRedisWrites + i) % COURIERS));
  await pipeline.exec();
  rawRedisWrites += 1_000;
}
const rawRedis = rawRedisWrites / ((performance.now() - rawStart) / 1000);

// --- the nearest query, p50/p99 over QUERIES sequential searches in a city of COURIERS couriers
const nearestLatency = async (positions) => {
  const now = new Date().toISOString();
  for (let i = 0; i < COURIERS; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, COURIERS - i) }, (_, k) => positions.record({ courierId: courierId(i + k), city: "berlin", position: spot(i + k), at: now })));
  }
  const times = [];
  const freshSince = new Date(Date.now() - 600_000).toISOString();
  for (let q = 0; q < QUERIES; q += 1) {
    const started = performance.now();
    await positions.nearest({ city: "berlin", point: spot(q * 31), radiusKm: 5, freshSince, limit: 60 });
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
};
const nearestDb = await nearestLatency(new DatabasePositions(new PostgresUnitOfWork(db)));
const nearestRedis = await nearestLatency(new RedisCourierPositions(redis, { prefix: "bench" }));

// --- through the API: PUT /v1/couriers/me/location from COURIERS distinct couriers
const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
const tokens = await Promise.all(Array.from({ length: API_COURIERS }, (_, i) => mintToken(SECRET, { role: "courier", sub: courierId(i) })));
async function throughApi(extraEnv) {
  const child = spawn(process.execPath, [main, "serve"], {
    env: { ...env, PORT: String(PORT), TIFFIN_HOST: "127.0.0.1", TIFFIN_DATABASE_URL: DATABASE_URL, TIFFIN_DATABASE_SCHEMA: schema, TIFFIN_JWT_SECRET: SECRET, TIFFIN_LOG_LEVEL: "warn", ...extraEnv },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${PORT}`;
  for (let i = 0; !(await fetch(`${url}/health/ready`).then((r) => r.ok, () => false)); i += 1) {
    if (i > 600 || child.exitCode !== null) throw new Error("tiffin serve did not become ready");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let n = 0;
  const report = (amount) => ({
    url,
    connections: CONNECTIONS,
    ...amount,
    requests: [
      {
        method: "PUT",
        path: "/v1/couriers/me/location",
        setupRequest: (request) => {
          n += 1;
          const i = n % API_COURIERS;
          return { ...request, headers: { authorization: `Bearer ${tokens[i]}`, "content-type": "application/json" }, body: JSON.stringify(spot(i + n)) };
        },
      },
    ],
  });
  await autocannon(report({ amount: API_COURIERS }));
  const result = await autocannon(report({ duration: DURATION }));
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  return { rate: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors };
}
const apiDb = await throughApi({});
const apiRedis = await throughApi({ TIFFIN_POSITIONS: "redis", TIFFIN_REDIS_URL: REDIS_URL });

await redis.flushdb();
redis.disconnect();
psql(`DROP SCHEMA ${schema} CASCADE`);
await db.close();

// --- report
const ratio = (a, b) => (a / b).toFixed(2);
const rows = [
  `| position writes through \`PUT /v1/couriers/me/location\` from ${API_COURIERS.toLocaleString("en")} couriers, database store | ${apiDb.rate.toFixed(0)}/s (p50 ${apiDb.p50} ms, p99 ${apiDb.p99} ms, non-2xx ${apiDb.non2xx}) | pgbench upsert ${rawPg.toFixed(0)} tps | ${ratio(apiDb.rate, rawPg)} | 5,000/s |`,
  `| position writes through \`PUT /v1/couriers/me/location\` from ${API_COURIERS.toLocaleString("en")} couriers, Redis store | ${apiRedis.rate.toFixed(0)}/s (p50 ${apiRedis.p50} ms, p99 ${apiRedis.p99} ms, non-2xx ${apiRedis.non2xx}) | pipelined GEOADD ${rawRedis.toFixed(0)}/s | ${ratio(apiRedis.rate, rawRedis)} | 20,000/s |`,
  `| nearest 60 within 5 km of ${COURIERS.toLocaleString("en")} couriers, database store (GiST) | p50 ${ms(nearestDb.p50)} ms, p99 ${ms(nearestDb.p99)} ms | | | p99 < 5 ms |`,
  `| nearest 60 within 5 km of ${COURIERS.toLocaleString("en")} couriers, Redis store (GEOSEARCH) | p50 ${ms(nearestRedis.p50)} ms, p99 ${ms(nearestRedis.p99)} ms | | | p99 < 5 ms |`,
];
const markdown = [
  "## Courier positions (`npm run bench:positions`)",
  "",
  `Run ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at the end; ${CONNECTIONS} connections, ${DURATION} s per rate, ${QUERIES} sequential queries.`,
  "",
  "| what | measured | reference in the same run | ratio | goal |",
  "|---|---|---|---|---|",
  ...rows,
].join("\n");
console.log(markdown);
writeSection("positions", markdown);
writeResult({
  name: "positions",
  goals: [
    goal({ goal: "API writes, database store >= 5,000/s", measured: apiDb.rate, reference: rawPg, unit: "/s", atLeast: 5_000, on: "measured" }),
    goal({ goal: "API writes, Redis store >= 20,000/s", measured: apiRedis.rate, reference: rawRedis, unit: "/s", atLeast: 20_000, on: "measured" }),
    goal({ goal: "nearest p99, database store <= 5 ms", measured: nearestDb.p99, unit: "ms", atMost: 5 }),
    goal({ goal: "nearest p99, Redis store <= 5 ms", measured: nearestRedis.p99, unit: "ms", atMost: 5 }),
  ],
  notes: `${COURIERS} couriers, ${CONNECTIONS} connections, ${DURATION} s per rate`,
});
