/**
 * Throughput and latency of the Postgres message transport, live: publishers and consumers run together.
 * `npm run bench:transport` (TIFFIN_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test).
 * Phase 1 publishes as fast as it can (throughput; latency then includes the backlog). Phase 2 publishes at
 * half the measured throughput (latency under a steady load). Environment: BENCH_MESSAGES (20000),
 * BENCH_CONSUMERS (10), BENCH_PUBLISHERS (4), BENCH_BATCH (50), BENCH_PACED_MESSAGES (5000).
 */
import { randomUUID } from "node:crypto";
import type { CloudEvent } from "@tiffin/core";
import { migrate } from "../migrate.js";
import { PgDatabase } from "../sql/pg-database.js";
import { PostgresPublisher } from "../transport/publisher.js";
import { PostgresSubscriber } from "../transport/subscriber.js";

const env = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
const MESSAGES = env("BENCH_MESSAGES", 20_000);
const CONSUMERS = env("BENCH_CONSUMERS", 10);
const PUBLISHERS = env("BENCH_PUBLISHERS", 4);
const BATCH = env("BENCH_BATCH", 50);
const PACED_MESSAGES = env("BENCH_PACED_MESSAGES", 5_000);
const url = process.env.TIFFIN_TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const TOPIC = "bench.orders";

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const batchOf = (count: number, first: number): CloudEvent[] => {
  const sentAt = performance.now();
  return Array.from({ length: count }, (_, i) => ({
    specversion: "1.0",
    id: randomUUID(),
    source: "tiffin/bench",
    type: "order.placed",
    time: new Date().toISOString(),
    subject: `order-${(first + i) % 1000}`,
    datacontenttype: "application/json",
    data: { sentAt, note: "a typical small order event payload" },
  }));
};

interface PhaseResult {
  readonly perSecond: number;
  readonly seconds: number;
  readonly latencies: number[];
}

/** Publishes `total` messages (unpaced, or at `rate` per second) and waits until all were handled. */
async function phase(publisher: PostgresPublisher, handled: number[], total: number, rate: number | null): Promise<PhaseResult> {
  handled.length = 0;
  const started = performance.now();
  let next = 0;
  const publishLoop = async (): Promise<void> => {
    while (next < total) {
      const count = Math.min(BATCH, total - next);
      const first = next;
      next += count;
      if (rate !== null) {
        const due = started + (first / rate) * 1000;
        if (due > performance.now()) await sleep(due - performance.now());
      }
      await publisher.publish(TOPIC, batchOf(count, first));
    }
  };
  await Promise.all(Array.from({ length: PUBLISHERS }, publishLoop));
  while (handled.length < total) await sleep(5);
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: Math.round(total / seconds), seconds, latencies: [...handled].sort((a, b) => a - b) };
}

async function main(): Promise<void> {
  const schema = `bench_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const db = new PgDatabase({ connectionString: url, schema, maxConnections: 24 });
  await migrate(db);
  const publisher = new PostgresPublisher(db);
  const handled: number[] = [];
  // Each subscriber stands for one worker process; all share one subscription (competing consumers).
  const subscribers = Array.from({ length: CONSUMERS }, () => new PostgresSubscriber(db, { pollIntervalMs: 250 }));
  for (const subscriber of subscribers) {
    await subscriber.subscribe({ topic: TOPIC, subscription: "bench-consumers", concurrency: 10 }, async (message) => {
      handled.push(performance.now() - (message.data as { sentAt: number }).sentAt);
    });
  }

  const saturated = await phase(publisher, handled, MESSAGES, null);
  const paced = await phase(publisher, handled, PACED_MESSAGES, Math.max(100, saturated.perSecond / 2));

  await Promise.all(subscribers.map((s) => s.close()));
  await db.exec(`DROP SCHEMA "${schema}" CASCADE`);
  await db.close();

  const ms = (r: PhaseResult, p: number): string => `${percentile(r.latencies, p).toFixed(1)} ms`;
  const line = (label: string, value: string): void => console.log(`${label.padEnd(34)} ${value}`);
  line("setup", `${PUBLISHERS} publishers (batches of ${BATCH}), ${CONSUMERS} consumers x concurrency 10, 1000 ordering keys`);
  line("live throughput", `${saturated.perSecond} msg/s (${MESSAGES} messages in ${saturated.seconds.toFixed(2)} s, publish to last handled)`);
  line("  latency publish->handle p50/p99", `${ms(saturated, 50)} / ${ms(saturated, 99)} (includes the backlog)`);
  line("paced at half that rate", `${paced.perSecond} msg/s (${PACED_MESSAGES} messages)`);
  line("  latency publish->handle p50/p99", `${ms(paced, 50)} / ${ms(paced, 99)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
