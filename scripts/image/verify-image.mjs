#!/usr/bin/env node
/* global fetch, setTimeout */
// `npm run verify:image`: proves the container image's runtime stage without a container engine. It assembles the
// runtime folder exactly as the Dockerfile does (packed workspaces, production dependencies only), then runs
// `tiffin migrate`, `tiffin serve` and `tiffin work` from that folder against PostgreSQL (its own schema) and takes
// one order from placed to delivered over HTTP. A dev dependency needed at run time, or a file missing from a
// package's `files`, fails it. Needs the workspaces built (`npm run build`) and a PostgreSQL server
// (TIFFIN_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test).
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { assembleRuntime } from "./assemble-runtime.mjs";
import { deliverOneOrder } from "./order-journey.mjs";

const DATABASE_URL = process.env.TIFFIN_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
/** What must never be in the image: build and test tooling. */
const DEV_ONLY = ["typescript", "vitest", "tsx", "eslint", "fauxqs", "fast-check", "autocannon", "@types/pg"];

const started = Date.now();
const say = (line) => process.stdout.write(`verify:image ${((Date.now() - started) / 1000).toFixed(1)}s ${line}\n`);
const children = [];
const folder = mkdtempSync(join(tmpdir(), "tiffin-image-"));
const schema = `image_${randomUUID().replaceAll("-", "").slice(0, 12)}`;

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The environment a container would get: nothing from this shell but PATH (with this Node first). */
function imageEnv(extra = {}) {
  return {
    PATH: `${join(folder, "node_modules", ".bin")}:${dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: folder,
    NODE_ENV: "production",
    TIFFIN_DATABASE_URL: DATABASE_URL,
    TIFFIN_DATABASE_SCHEMA: schema,
    TIFFIN_JWT_SECRET: `image-${randomUUID()}-${randomUUID()}`,
    TIFFIN_DATA_DIR: join(folder, "data"),
    TIFFIN_HOST: "127.0.0.1",
    TIFFIN_LOG_LEVEL: "warn",
    ...extra,
  };
}

function tiffin(args, env) {
  return execFileSync(join(folder, "node_modules", ".bin", "tiffin"), args, { cwd: folder, env, encoding: "utf8", timeout: 120_000 });
}

async function startHost(command, env) {
  const port = await freePort();
  const child = spawn(join(folder, "node_modules", ".bin", "tiffin"), [command], { cwd: folder, env: { ...env, PORT: String(port) }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
  const host = { command, url: `http://127.0.0.1:${port}`, exited, output: () => output, stop: () => (child.exitCode === null && child.kill("SIGTERM"), exited) };
  children.push(host);
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`tiffin ${command} exited with ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${host.url}/health/ready`).then((r) => r.status === 200, () => false);
    if (ready) return host;
    if (Date.now() > deadline) throw new Error(`tiffin ${command} not ready within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function dropSchema() {
  const { default: pg } = await import(join(folder, "node_modules", "pg", "lib", "index.js"));
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** The image carries the built console (host-http's dist/console): `serve` with TIFFIN_CONSOLE=on serves it. */
async function checkConsole(url) {
  const page = await fetch(`${url}/app/`);
  const policy = page.headers.get("content-security-policy") ?? "";
  if (page.status !== 200 || !policy.includes("script-src 'self'")) throw new Error(`GET /app/ answered ${page.status} with CSP "${policy}"`);
  const identities = await fetch(`${url}/app/identities`);
  if (identities.status !== 404) throw new Error(`GET /app/identities answered ${identities.status} on a server database`);
}

let failed = false;
try {
  say(`assembling the runtime stage in ${folder}`);
  assembleRuntime(folder, { log: say });
  const present = DEV_ONLY.filter((name) => existsSync(join(folder, "node_modules", name)));
  if (present.length > 0) throw new Error(`dev-only packages in the runtime folder: ${present.join(", ")}`);
  rmSync(join(folder, "packs"), { recursive: true, force: true });

  const env = imageEnv({ TIFFIN_KITCHEN: "auto", TIFFIN_KITCHEN_PREP_MS: "200" });
  say(`tiffin migrate (schema ${schema})`);
  tiffin(["migrate"], env);
  const api = await startHost("serve", { ...env, TIFFIN_DEMO_DATA: "true", TIFFIN_CONSOLE: "on" });
  const worker = await startHost("work", env);
  say(`tiffin serve at ${api.url}, tiffin work at ${worker.url}`);
  await checkConsole(api.url);
  say("the console is served under /app/ with its Content-Security-Policy, and offers no demo identities on a server database");
  const token = (role, sub) => tiffin(["token", "--role", role, "--sub", sub], env).trim();
  const outcome = await deliverOneOrder(api.url, token, { run: schema });
  say(`order ${outcome.orderId} delivered; ledger ${outcome.ledger.join(", ")}; saga ${outcome.saga}`);
  for (const host of [worker, api]) {
    const code = await host.stop();
    if (code !== 0) throw new Error(`tiffin ${host.command} exited with ${code} on SIGTERM:\n${host.output()}`);
  }
  say("both hosts stopped on SIGTERM with exit code 0");
} catch (error) {
  failed = true;
  process.stderr.write(`verify:image FAILED: ${error instanceof Error ? error.message : String(error)}\n`);
  for (const host of children) process.stderr.write(`--- tiffin ${host.command} output ---\n${host.output()}\n`);
} finally {
  await Promise.all(children.map((host) => host.stop()));
  await dropSchema().catch((error) => process.stderr.write(`dropping schema ${schema} failed: ${error.message}\n`));
  say(`dropped schema ${schema}`);
  rmSync(folder, { recursive: true, force: true });
}
say(failed ? "failed" : "passed");
process.exit(failed ? 1 : 0);
