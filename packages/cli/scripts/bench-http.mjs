/* global fetch, setTimeout */
// Benchmark (a script, not a test): POST /v1/orders with distinct Idempotency-Keys, 50 connections, 20 s.
// Starts `tiffin start` (API + worker) with the current environment unless BENCH_URL points at a running API;
// set TIFFIN_DATABASE_URL (and TIFFIN_JWT_SECRET) to measure against PostgreSQL.
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { mintToken } from "@tiffin/host-http";

const env = process.env;
const connections = Number(env.BENCH_CONNECTIONS ?? 50);
const duration = Number(env.BENCH_DURATION ?? 20);
const port = Number(env.BENCH_PORT ?? 3999);
const dataDir = env.TIFFIN_DATA_DIR ?? (await mkdtemp(join(tmpdir(), "tiffin-bench-")));

let child = null;
let url = env.BENCH_URL;
if (url === undefined) {
  const main = fileURLToPath(new URL("../dist/main.js", import.meta.url));
  child = spawn(process.execPath, [main, "start"], {
    env: { ...env, PORT: String(port), TIFFIN_DATA_DIR: dataDir, TIFFIN_LOG_LEVEL: "warn", TIFFIN_DEMO_DATA: "true" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    const ready = await fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (i > 600 || child.exitCode !== null) throw new Error("tiffin did not become ready");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const secret = env.TIFFIN_JWT_SECRET ?? (await readFile(join(dataDir, "jwt-secret"), "utf8")).trim();
const token = await mintToken(secret, { role: "customer", sub: `bench-${randomUUID().slice(0, 8)}` });
const body = JSON.stringify({
  restaurantId: "r-curry-house",
  items: [{ itemId: "butter-chicken", quantity: 1, options: ["hot", "naan"] }],
  deliveryAddress: { lat: 52.521, lng: 13.41 },
});

const result = await autocannon({
  url,
  connections,
  duration,
  requests: [
    {
      method: "POST",
      path: "/v1/orders",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body,
      setupRequest: (request) => ({ ...request, headers: { ...request.headers, "idempotency-key": randomUUID() } }),
    },
  ],
});

console.log(`POST /v1/orders, ${connections} connections, ${duration} s against ${url}`);
console.log(`  requests/s: ${result.requests.average.toFixed(0)} (total ${result.requests.total}, non-2xx ${result.non2xx}, errors ${result.errors})`);
console.log(`  latency ms: p50 ${result.latency.p50}  p99 ${result.latency.p99}  max ${result.latency.max}`);
if (child !== null) {
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
}
