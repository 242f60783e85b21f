/**
 * How long a placed order waits to be charged (the order's placed time -> the payment provider's charge), with and
 * without publishing right after the commit, in one run on one database. `npm run bench:after-commit`
 * (TIFFIN_TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test; Postgres transport as the broker).
 * Three ways the order's `order.placed` reaches the broker, one after the other, each for BENCH_ORDERS orders
 * (default 100) placed BENCH_GAP_MS apart (default 50):
 *   relay loop     a worker's relay (100 ms poll, woken by the outbox's NOTIFY): pull mode's default
 *   tick           only a tick every BENCH_TICK_MS (default 1,000; Cloud Scheduler's is 60,000): push mode
 *   after commit   the API publishes before answering (TIFFIN_PUBLISH_AFTER_COMMIT), the tick still running
 * The consumers (payment saga and the rest) run throughout in one worker without a relay.
 */
import { randomUUID } from "node:crypto";
import { type MessagePublisher, type Principal, TOKENS, type Tiffin, type UnitOfWork, createTiffin, silentLogger } from "@tiffin/core";
import { onOutboxAppend } from "@tiffin/adapters-postgres";
import { loadConfig } from "../config/config.js";
import { Platform } from "../composition/platform.js";
import { DEMO_IDS, seedDemoData } from "../seed/demo-data.js";
import { Metrics } from "../telemetry/metrics.js";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 100);
const GAP_MS = Number(process.env.BENCH_GAP_MS ?? 50);
const TICK_MS = Number(process.env.BENCH_TICK_MS ?? 1_000);
const url = process.env.TIFFIN_TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";
const ADMIN: Principal = { role: "admin", id: "bench-admin" };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;

const order = () => ({
  restaurantId: DEMO_IDS.restaurant,
  items: [{ itemId: DEMO_IDS.item, quantity: 1, options: [...DEMO_IDS.options] }],
  deliveryAddress: { lat: 52.521, lng: 13.41, line1: "Alexanderplatz 1" },
});

/** Places ORDERS orders, waits until each is charged, and returns placed -> charged in milliseconds per order. */
async function measure(tiffin: Tiffin): Promise<number[]> {
  const placed: { id: string; committedAt: number }[] = [];
  for (let i = 0; i < ORDERS; i += 1) {
    const customer: Principal = { role: "customer", id: `bench-${randomUUID()}` };
    const answer = await tiffin.send(customer, { type: "PlaceOrder", idempotencyKey: randomUUID(), order: order() });
    if (!answer.ok) throw new Error(`placing failed: ${answer.error.code} ${answer.error.message}`);
    // The order's timeline holds its placed time (the API's clock, as the provider's ledger uses).
    placed.push({ id: answer.value.view.id, committedAt: Date.parse(answer.value.view.timeline[0]?.at ?? "") });
    await sleep(GAP_MS);
  }
  const latencies: number[] = [];
  for (const { id, committedAt } of placed) {
    for (let waited = 0; ; waited += 20) {
      const entries = await tiffin.ask(ADMIN, { type: "Payments", orderId: id });
      const charge = entries.ok ? entries.value.find((e) => e.kind === "charge") : undefined;
      if (charge !== undefined) {
        latencies.push(Date.parse(charge.at) - committedAt);
        break;
      }
      if (waited > 60_000) throw new Error(`order ${id} was not charged within a minute`);
      await sleep(20);
    }
  }
  return latencies.sort((a, b) => a - b);
}

const report = (name: string, sorted: readonly number[]): string =>
  `${name.padEnd(14)} p50 ${percentile(sorted, 50)} ms   p95 ${percentile(sorted, 95)} ms   mean ${(sorted.reduce((a, b) => a + b, 0) / sorted.length).toFixed(1)} ms   max ${sorted.at(-1)} ms`;

async function main(): Promise<void> {
  const schema = `bench_after_commit_${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    TIFFIN_DATABASE_URL: url,
    TIFFIN_DATABASE_SCHEMA: schema,
    TIFFIN_BROKER: "postgres",
    TIFFIN_PUBLISH_AFTER_COMMIT: "false",
    TIFFIN_KITCHEN: "manual",
  });
  const platform = await Platform.create(config, { logger: silentLogger, metrics: new Metrics() });
  try {
    await platform.migrate();
    await seedDemoData(platform.tiffin);
    const get = <T>(token: symbol) => platform.container.get<T>(token);
    const consumers = platform.createWorker({ parts: ["paymentSaga", "kitchen", "courierAssignment", "projections"] });
    await consumers.start();
    const relay = platform.createWorker({ parts: ["relay"] });

    await relay.start();
    const unlisten = await onOutboxAppend(platform.database!, () => relay.wake());
    const relayLoop = await measure(platform.tiffin);
    await unlisten();
    await relay.stop();

    const ticker = platform.createWorker({ parts: ["relay"] });
    let ticking = true;
    const ticks = (async () => {
      while (ticking) {
        await ticker.tick();
        await sleep(TICK_MS);
      }
    })();
    const tick = await measure(platform.tiffin);
    const afterCommit = await measure(
      createTiffin({
        uow: get<UnitOfWork>(TOKENS.UnitOfWork),
        clock: get(TOKENS.Clock),
        ids: get(TOKENS.IdGenerator),
        ledger: get(TOKENS.PaymentLedger),
        publishAfterCommit: get<MessagePublisher>(TOKENS.MessagePublisher),
      }),
    );
    ticking = false;
    await ticks;
    await consumers.stop();

    console.log(`placed -> charged, ${ORDERS} orders each, ${GAP_MS} ms apart, PostgreSQL + Postgres transport, schema ${schema}`);
    console.log(report("relay loop", relayLoop));
    console.log(report(`tick ${TICK_MS} ms`, tick));
    console.log(report("after commit", afterCommit));
  } finally {
    await platform.database?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await platform.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
