/* global performance, setTimeout */
// Benchmark (a script, not a test): the Postgres message transport live, publishers and consumers together, on the
// local PostgreSQL (TIFFIN_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test), built packages.
// 1. flat out: BENCH_MESSAGES published as fast as the publishers can; the rate (publish to last handled) is the
//    maximum, and its latency is mostly the backlog.
// 2. paced: BENCH_PACE (0.8) of that maximum for BENCH_PACED_SECONDS (10); latency publish -> handle under a load
//    the transport keeps up with, and the rate achieved.
// Reference in the same run: a raw SQL queue, `INSERT` batches and `DELETE ... RETURNING` claims of the same sizes
// with the same clients (what any SQL queue pays, without visibility timeouts, ordering or fan-out), and the
// pgbench placement ceiling (bench/pgbench) for the machine's state. Writes docs/PERFORMANCE.md's transport section
// and bench/results/transport.json.
import { randomUUID } from "node:crypto";
import { PgDatabase, PostgresPublisher, PostgresSubscriber, migrate } from "@tiffin/adapters-postgres";
import { DEFAULT_DATABASE_URL, describeMachine, goal, pgbenchCeiling, quantile, writeResult, writeSection } from "./lib/report.mjs";

const env = (name, fallback) => Number(process.env[name] ?? fallback);
const MESSAGES = env("BENCH_MESSAGES", 20_000);
const CONSUMERS = env("BENCH_CONSUMERS", 4);
const CONCURRENCY = env("BENCH_CONCURRENCY", 25);
const PUBLISHERS = env("BENCH_PUBLISHERS", 4);
const BATCH = env("BENCH_BATCH", 50);
const PACE = env("BENCH_PACE", 0.8);
const PACED_SECONDS = env("BENCH_PACED_SECONDS", 10);
const KEYS = 1000;
const url = process.env.BENCH_DATABASE_URL ?? DEFAULT_DATABASE_URL;
const TOPIC = "bench.orders";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const batchOf = (count, first) => {
  const sentAt = performance.now();
  return Array.from({ length: count }, (_, i) => ({
    specversion: "1.0",
    id: randomUUID(),
    source: "tiffin/bench",
    type: "order.placed",
    time: new Date().toISOString(),
    subject: `order-${(first + i) % KEYS}`,
    datacontenttype: "application/json",
    data: { sentAt, note: "a typical small order event payload" },
  }));
};

/** Runs PUBLISHERS loops that take batch numbers in turn until `total` messages are out, paced at `rate` if given. */
async function publishAll(total, rate, publishBatch) {
  const started = performance.now();
  let next = 0;
  const loop = async () => {
    while (next < total) {
      const count = Math.min(BATCH, total - next);
      const first = next;
      next += count;
      if (rate !== null) {
        const due = started + (first / rate) * 1000;
        if (due > performance.now()) await sleep(due - performance.now());
      }
      await publishBatch(count, first);
    }
  };
  await Promise.all(Array.from({ length: PUBLISHERS }, loop));
  return started;
}

/** Publishes `total` messages through the transport and waits until all were handled. */
async function phase(publisher, handled, total, rate) {
  handled.length = 0;
  const publishes = [];
  const started = await publishAll(total, rate, async (count, first) => {
    const at = performance.now();
    await publisher.publish(TOPIC, batchOf(count, first));
    publishes.push(performance.now() - at);
  });
  while (handled.length < total) await sleep(2);
  const seconds = (performance.now() - started) / 1000;
  publishes.sort((a, b) => a - b);
  return {
    perSecond: Math.round(total / seconds),
    seconds,
    latencies: [...handled].sort((a, b) => a - b),
    publishP50: quantile(publishes, 0.5),
    publishP99: quantile(publishes, 0.99),
  };
}

/** The raw SQL queue: batches inserted, claimed `CONCURRENCY` at a time with `DELETE ... RETURNING`, no transport code. */
async function rawQueue(db, total) {
  await db.exec("CREATE TABLE bench_raw (id bigserial PRIMARY KEY, body text NOT NULL)");
  let taken = 0;
  let published = 0;
  const body = JSON.stringify(batchOf(1, 0)[0]);
  const consume = async () => {
    while (taken < total) {
      const rows = await db.query(
        "DELETE FROM bench_raw WHERE id IN (SELECT id FROM bench_raw ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED) RETURNING id, body",
        [CONCURRENCY],
      );
      taken += rows.length;
      if (rows.length === 0) await sleep(published >= total ? 1 : 0);
    }
  };
  const consumers = Array.from({ length: CONSUMERS }, consume);
  const started = await publishAll(total, null, async (count) => {
    await db.query("INSERT INTO bench_raw (body) SELECT $1 FROM generate_series(1, $2::int)", [body, count]);
    published += count;
  });
  await Promise.all(consumers);
  return Math.round(total / ((performance.now() - started) / 1000));
}

const schema = `bench_transport_${randomUUID().replace(/-/g, "").slice(0, 8)}`;
const db = new PgDatabase({ connectionString: url, schema, maxConnections: PUBLISHERS + CONSUMERS * 2 + 2 });
await migrate(db);
const raw = await rawQueue(db, MESSAGES);

const publisher = new PostgresPublisher(db);
const handled = [];
// Each subscriber stands for one worker process; all share one subscription (competing consumers).
const subscribers = Array.from({ length: CONSUMERS }, () => new PostgresSubscriber(db, { pollIntervalMs: 250 }));
for (const subscriber of subscribers) {
  await subscriber.subscribe({ topic: TOPIC, subscription: "bench-consumers", concurrency: CONCURRENCY }, async (message) => {
    handled.push(performance.now() - message.data.sentAt);
  });
}
const flatOut = await phase(publisher, handled, MESSAGES, null);
const target = Math.max(100, Math.round(flatOut.perSecond * PACE));
const paced = await phase(publisher, handled, target * PACED_SECONDS, target);
await Promise.all(subscribers.map((s) => s.close()));
await db.exec(`DROP SCHEMA "${schema}" CASCADE`);
await db.close();
const ceiling = pgbenchCeiling({ clients: 16, seconds: 10 });

const ms = (x) => Number(x.toFixed(1));
const p = (r, q) => ms(quantile(r.latencies, q));
const notes = `${PUBLISHERS} publishers (batches of ${BATCH}), ${CONSUMERS} subscribers x concurrency ${CONCURRENCY} on one subscription, ${KEYS} ordering keys`;
const goals = [
  goal({ goal: "transport flat out >= 5,000 msg/s", measured: flatOut.perSecond, reference: raw, unit: "msg/s", atLeast: 5_000, on: "measured" }),
  goal({ goal: `transport p99 publish -> handle <= 50 ms at ${Math.round(PACE * 100)} % of that`, measured: p(paced, 0.99), unit: "ms", atMost: 50 }),
];
const markdown = [
  "## Message transport on PostgreSQL (`npm run bench:transport`)",
  "",
  `${describeMachine()} at the end; ${notes}. Flat out: ${MESSAGES} messages published as fast as the publishers go, rate from the first publish to the last message handled. Paced: ${Math.round(PACE * 100)} % of that rate for ${PACED_SECONDS} s. A publish call is one batch, committed.`,
  "",
  "| what | measured | reference in the same run | ratio | goal |",
  "|---|---|---|---|---|",
  `| flat out | ${flatOut.perSecond} msg/s (p50 ${p(flatOut, 0.5)} ms, p99 ${p(flatOut, 0.99)} ms publish -> handle: the backlog) | raw SQL queue ${raw} msg/s | ${goals[0].ratio} | 5,000 msg/s |`,
  `| paced at ${target} msg/s | ${paced.perSecond} msg/s; publish -> handle p50 ${p(paced, 0.5)} ms, p99 ${p(paced, 0.99)} ms; publish call p50 ${ms(paced.publishP50)} ms, p99 ${ms(paced.publishP99)} ms | pgbench placement ceiling ${Math.round(ceiling)} tps (16 clients) | | p99 < 50 ms |`,
].join("\n");
console.log(markdown);
writeSection("transport", markdown);
writeResult({ name: "transport", goals, notes: `${notes}; pgbench ceiling ${Math.round(ceiling)} tps` });
