/* global fetch, setTimeout, setInterval, clearInterval, performance */
// Benchmark (a script, not a test): how soon a state change reaches its server-sent event stream with BENCH_STREAMS
// (1,000) streams open on one API, and what those streams cost the API. `tiffin serve` and `tiffin work` run on the
// local PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) in a scratch database;
// BENCH_ORDERS (300) paid orders each get streams (`GET /v1/orders/:id/stream` as their customer), then staff accept
// them at BENCH_ACCEPT_RATE (20/s). Measured: accept answered -> `confirmed` event read by the client (p50/p99 over
// every stream), the accept's own latency, the API's resident memory. Reference in the same run: the same latency
// with one stream open. Both modes run: TIFFIN_STREAMS=poll (every stream reads every 500 ms, as before the change
// feed) and notify (LISTEN/NOTIFY). Needs the workspaces built. Writes docs/PERFORMANCE.md's sse section and
// bench/results/sse.json.
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import { mintToken } from "@tiffin/host-http";
import { DEFAULT_DATABASE_URL, describeMachine, goal, machine, quantile, scratchDatabase, writeResult, writeSection } from "./lib/report.mjs";

const env = process.env;
const DATABASE_URL = env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL;
const STREAMS = Number(env.BENCH_STREAMS ?? 1_000);
const ORDERS = Number(env.BENCH_ORDERS ?? 300);
const ACCEPT_RATE = Number(env.BENCH_ACCEPT_RATE ?? 20);
/** Orders measured one at a time with a single stream open: the reference. */
const REFERENCE_ORDERS = Number(env.BENCH_REFERENCE_ORDERS ?? 20);
const PORT = Number(env.BENCH_PORT ?? 3997);
const SECRET = "bench-secret-".padEnd(40, "x");
const RESTAURANT = "r-curry-house";
const P99_GOAL_MS = 100;
const main = fileURLToPath(new URL("../packages/cli/dist/main.js", import.meta.url));
const base = `http://127.0.0.1:${PORT}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const body = JSON.stringify({
  restaurantId: RESTAURANT,
  items: [{ itemId: "butter-chicken", quantity: 1, options: ["hot", "naan"] }],
  deliveryAddress: { lat: 52.521, lng: 13.41 },
});

async function until(ready, child, what) {
  for (let i = 0; !(await ready()); i += 1) {
    if (i > 600 || child.exitCode !== null) throw new Error(`${what} did not become ready`);
    await sleep(100);
  }
}

async function stop(child) {
  child.kill("SIGTERM");
  if (child.exitCode === null) await new Promise((resolve) => child.once("exit", resolve));
}

/** Resident memory of a process in MB (Linux). */
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN) / 1024;

/**
 * One open stream over its own connection. `onEvent(view, at)` gets each `event: order` view with the time it was
 * read; resolves once the response headers arrived.
 */
function openStream(orderId, token, onEvent) {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/v1/orders/${orderId}/stream`, { headers: { authorization: `Bearer ${token}` }, agent: false }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding("utf8");
      let text = "";
      res.on("data", (chunk) => {
        const at = performance.now();
        text += chunk;
        const blocks = text.split("\n\n");
        text = blocks.pop() ?? "";
        for (const block of blocks) {
          const data = block.split("\n").find((line) => line.startsWith("data: "));
          if (block.includes("event: order") && data) onEvent(JSON.parse(data.slice(6)), at);
        }
      });
      res.on("error", () => undefined);
      resolve({ close: () => req.destroy() });
    });
    req.on("error", (error) => (error.code === "ECONNRESET" ? undefined : reject(error)));
    req.end();
  });
}

async function api(method, path, token, payload, headers = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(payload === undefined ? {} : { "content-type": "application/json" }), ...headers },
    ...(payload === undefined ? {} : { body: payload }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** Places `count` orders from distinct customers and waits until every one is paid (staff may accept only then). */
async function paidOrders(count, prefix) {
  const orders = [];
  for (let i = 0; i < count; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(10, count - i) }, async (_, k) => {
        const token = await mintToken(SECRET, { role: "customer", sub: `${prefix}-${i + k}` });
        const { id } = await api("POST", "/v1/orders", token, body, { "idempotency-key": `${prefix}-${i + k}` });
        return { id, token };
      }),
    );
    orders.push(...batch);
  }
  for (const order of orders) {
    for (let i = 0; (await api("GET", `/v1/orders/${order.id}`, order.token)).paymentStatus !== "captured"; i += 1) {
      if (i > 300) throw new Error(`order ${order.id} was not paid within 30 s`);
      await sleep(100);
    }
  }
  return orders;
}

const sorted = (values) => [...values].sort((a, b) => a - b);
const p = (values, q) => quantile(sorted(values), q);

/** One mode (TIFFIN_STREAMS): a fresh database, the API and a worker, the reference, then the load. */
async function measure(mode) {
  const scratch = scratchDatabase({ url: DATABASE_URL, prefix: "bench_sse" });
  const tiffinEnv = { ...env, PORT: String(PORT), TIFFIN_HOST: "127.0.0.1", TIFFIN_DATABASE_URL: scratch.url, TIFFIN_JWT_SECRET: SECRET, TIFFIN_DEMO_DATA: "true", TIFFIN_LOG_LEVEL: "warn", TIFFIN_STREAMS: mode };
  const migrated = spawnSync(process.execPath, [main, "migrate"], { env: tiffinEnv, encoding: "utf8" });
  if (migrated.status !== 0) throw new Error(`tiffin migrate failed: ${migrated.stderr}`);
  const serve = spawn(process.execPath, [main, "serve"], { env: tiffinEnv, stdio: ["ignore", "ignore", "inherit"] });
  const work = spawn(process.execPath, [main, "work"], { env: { ...tiffinEnv, PORT: String(PORT + 1) }, stdio: ["ignore", "ignore", "inherit"] });
  try {
    await until(() => fetch(`${base}/health/ready`).then((r) => r.ok, () => false), serve, "tiffin serve");
    const staff = await mintToken(SECRET, { role: "restaurant", sub: "bench-staff", restaurantId: RESTAURANT });
    const accept = async (orderId) => {
      const started = performance.now();
      await api("POST", `/v1/restaurants/${RESTAURANT}/orders/${orderId}/accept`, staff, "{}");
      const answered = performance.now();
      return { took: answered - started, answered };
    };
    const reference = await paidOrders(REFERENCE_ORDERS, `${mode}-ref`);
    const orders = await paidOrders(ORDERS, `${mode}-load`);

    // The reference: one stream open at a time, its order accepted once the stream showed it.
    const single = [];
    for (const order of reference) {
      let firstSeen;
      let confirmedAt;
      const shown = new Promise((resolve) => (firstSeen = resolve));
      const confirmed = new Promise((resolve) => (confirmedAt = resolve));
      const stream = await openStream(order.id, order.token, (view, at) => (view.status === "placed" ? firstSeen() : view.status === "confirmed" && confirmedAt(at)));
      await shown;
      const { answered } = await accept(order.id);
      single.push((await confirmed) - answered);
      stream.close();
      await sleep(1000 / ACCEPT_RATE);
    }

    // The load: STREAMS streams over ORDERS orders, then every order accepted at ACCEPT_RATE.
    const rssBefore = rssMb(serve.pid);
    const arrived = new Map(orders.map((order) => [order.id, []]));
    const streams = [];
    let shown = 0;
    for (let i = 0; i < STREAMS; i += 50) {
      streams.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(50, STREAMS - i) }, (_, k) => {
            const order = orders[(i + k) % orders.length];
            let placedSeen = false;
            return openStream(order.id, order.token, (view, at) => {
              if (view.status === "placed" && !placedSeen) {
                placedSeen = true;
                shown += 1;
              }
              if (view.status === "confirmed") arrived.get(order.id).push(at);
            });
          }),
        )),
      );
    }
    while (shown < STREAMS) await sleep(50);
    const rssOpen = rssMb(serve.pid);
    let rssPeak = rssOpen;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMb(serve.pid))), 250);
    const accepts = [];
    const started = performance.now();
    await Promise.all(
      orders.map(async (order, i) => {
        const due = started + (i * 1000) / ACCEPT_RATE;
        await sleep(Math.max(0, due - performance.now()));
        accepts.push({ order, ...(await accept(order.id)) });
      }),
    );
    const perOrder = Math.floor(STREAMS / orders.length);
    const expected = (i) => perOrder + (i < STREAMS % orders.length ? 1 : 0);
    for (let i = 0; orders.some((order, k) => arrived.get(order.id).length < expected(k)); i += 1) {
      if (i > 400) throw new Error("some streams never showed their order confirmed");
      await sleep(50);
    }
    clearInterval(sampler);
    const latencies = accepts.flatMap(({ order, answered }) => arrived.get(order.id).map((at) => at - answered));
    for (const stream of streams) stream.close();
    return {
      mode,
      single: { p50: p(single, 0.5), p99: p(single, 0.99) },
      load: { p50: p(latencies, 0.5), p99: p(latencies, 0.99), samples: latencies.length },
      accept: { p50: p(accepts.map((a) => a.took), 0.5), p99: p(accepts.map((a) => a.took), 0.99) },
      rss: { before: rssBefore, open: rssOpen, peak: rssPeak },
    };
  } finally {
    await stop(serve);
    await stop(work);
    scratch.drop();
  }
}

const before = await measure("poll");
console.log(JSON.stringify(before));
const after = await measure("notify");
console.log(JSON.stringify(after));

// --- report
const ran = machine();
const ms = (x) => `${x.toFixed(0)} ms`;
const row = (r, label) =>
  `| ${label} | ${ms(r.load.p50)} / ${ms(r.load.p99)} | ${ms(r.single.p50)} / ${ms(r.single.p99)} | ${(r.load.p99 / r.single.p99).toFixed(2)} | ${ms(r.accept.p50)} / ${ms(r.accept.p99)} | ${r.rss.before.toFixed(0)} -> ${r.rss.open.toFixed(0)} (peak ${r.rss.peak.toFixed(0)}) MB |`;
const markdown = [
  "## Live streams (`npm run bench:sse`)",
  "",
  `${describeMachine(ran)} at the end; \`tiffin serve\` + one \`tiffin work\` on PostgreSQL, ${STREAMS.toLocaleString("en")} streams over ${ORDERS} paid orders, staff accepting ${ACCEPT_RATE}/s; change = accept answered -> the stream's \`confirmed\` event read by the client (${after.load.samples} samples); reference = the same with one stream open (${REFERENCE_ORDERS} orders one at a time).`,
  "",
  "| streams | change p50 / p99, all streams | reference p50 / p99, one stream | p99 ratio | accept p50 / p99 | API memory before -> streams open |",
  "|---|---|---|---|---|---|",
  row(before, "`TIFFIN_STREAMS=poll`: every stream reads every 500 ms (before)"),
  row(after, "`TIFFIN_STREAMS=notify`: LISTEN/NOTIFY, 5 s safety poll (after)"),
  "",
  `Goal: p99 <= ${P99_GOAL_MS} ms with ${STREAMS.toLocaleString("en")} streams: ${after.load.p99 <= P99_GOAL_MS ? "met" : "missed"} (${ms(after.load.p99)}).`,
].join("\n");
console.log(markdown);
writeSection("sse", markdown);
writeResult({
  name: "sse",
  goals: [
    goal({ goal: `change -> stream p99 <= ${P99_GOAL_MS} ms with ${STREAMS} streams`, measured: after.load.p99, reference: after.single.p99, unit: "ms", atMost: P99_GOAL_MS, on: "measured" }),
    goal({ goal: "change -> stream p99, notify / poll", measured: after.load.p99, reference: before.load.p99, unit: "ms", atMost: 1 }),
    goal({ goal: "accept p99, notify / poll", measured: after.accept.p99, reference: before.accept.p99, unit: "ms", atMost: 1 }),
  ],
  notes: `${STREAMS} streams, ${ORDERS} orders, ${ACCEPT_RATE} accepts/s; API RSS ${after.rss.before.toFixed(0)} -> ${after.rss.open.toFixed(0)} MB (poll: ${before.rss.before.toFixed(0)} -> ${before.rss.open.toFixed(0)} MB)`,
});
