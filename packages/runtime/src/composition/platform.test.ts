import { context, trace } from "@opentelemetry/api";
import {
  type CloudEvent,
  DEFAULT_PAYOUT_POLICY,
  type MessagePublisher,
  type MessageSubscriber,
  ORDER_EVENTS_TOPIC,
  OutboxRelay,
  SUBSCRIPTIONS,
  SYSTEM_PRINCIPAL,
  type SagaState,
  TOKENS,
  type UnitOfWork,
  money,
  silentLogger,
  splitPayout,
  startSaga,
} from "@tiffin/core";
import { SizeLimitedPublisher } from "@tiffin/core/memory";
import { testEvent } from "@tiffin/core/testing";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.js";
import { DEMO_IDS, seedDemoData } from "../seed/demo-data.js";
import { Metrics } from "../telemetry/metrics.js";
import { startTelemetry } from "../telemetry/start.js";
import { Platform } from "./platform.js";

const telemetry = startTelemetry({});
let platform: Platform;
const metrics = new Metrics();
beforeAll(async () => {
  platform = await Platform.create(loadConfig({ TIFFIN_BROKER: "memory" }), { logger: silentLogger, metrics, inMemory: true });
  await seedDemoData(platform.tiffin);
});
afterAll(async () => {
  await platform.close();
  await telemetry.shutdown();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 300; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("Platform (the composition root, in memory)", () => {
  it("wires the facade, the worker and the saga so a placed order gets charged, in one trace, and offered for a minute", async () => {
    const tapped: CloudEvent[] = [];
    const subscriber = platform.container.get<MessageSubscriber>(TOKENS.MessageSubscriber);
    await subscriber.subscribe({ topic: ORDER_EVENTS_TOPIC, subscription: "test-tap" }, async (message) => void tapped.push(message));
    const worker = platform.createWorker({ relay: { intervalMs: 10 }, timers: { intervalMs: 10 } });
    await worker.start();
    try {
      const customer = { role: "customer" as const, id: "cust-platform" };
      const span = trace.getTracer("test").startSpan("POST /v1/orders");
      const placed = await context.with(trace.setSpan(context.active(), span), () =>
        platform.tiffin.send(customer, {
          type: "PlaceOrder",
          idempotencyKey: "platform-1",
          order: { restaurantId: DEMO_IDS.restaurant, items: [{ itemId: "dal", quantity: 1 }], deliveryAddress: { lat: 52.52, lng: 13.41 } },
        }),
      );
      span.end();
      if (!placed.ok) throw new Error(placed.error.code);
      const orderId = placed.value.view.id;

      await until("the charge to be captured", async () => {
        const view = await platform.tiffin.ask(customer, { type: "GetOrder", orderId });
        return view.ok && view.value.paymentStatus === "captured" ? true : undefined;
      });
      const captured = await until("payment.captured on the topic", async () => tapped.find((m) => m.type === "payment.captured" && m.subject === orderId));
      const traceId = span.spanContext().traceId;
      expect(tapped.find((m) => m.type === "order.placed" && m.subject === orderId)?.traceparent).toContain(traceId);
      expect(captured.traceparent).toContain(traceId);
      // The order's view names the trace, for an operator to look up in the tracing backend.
      const view = await platform.tiffin.ask({ role: "admin", id: "ops" }, { type: "GetOrder", orderId });
      expect(view.ok && view.value.traceId).toBe(traceId);
      expect(await platform.check()).toEqual({ database: "ok", broker: "ok" });

      // Staff accept; the offer a courier then gets lasts a minute on the embedded platform (TIFFIN_OFFER_TTL_MS).
      const accepted = await platform.tiffin.send({ role: "restaurant", id: "staff-demo", restaurantId: DEMO_IDS.restaurant }, { type: "AcceptOrder", restaurantId: DEMO_IDS.restaurant, orderId });
      if (!accepted.ok) throw new Error(accepted.error.code);
      const offer = await until("an offer", async () => {
        for (const id of DEMO_IDS.couriers) {
          const offers = await platform.tiffin.ask({ role: "courier", id }, { type: "CourierOffers" });
          const found = offers.ok ? offers.value.find((o) => o.orderId === orderId) : undefined;
          if (found !== undefined) return found;
        }
        return undefined;
      });
      expect(Date.parse(offer.expiresAt) - Date.parse(placed.value.view.placedAt)).toBeGreaterThanOrEqual(60_000);
    } finally {
      await worker.stop();
    }
  });

  /** The subscriptions a worker consumes (notifications and analytics are topology for outside consumers). */
  const WORKER_SUBSCRIPTIONS = [SUBSCRIPTIONS.paymentSaga, SUBSCRIPTIONS.kitchen, SUBSCRIPTIONS.courierAssignment, SUBSCRIPTIONS.projections];

  it("exposes a zero failure and dead-letter series for every subscription as soon as the worker runs", async () => {
    const worker = platform.createWorker({ relay: { intervalMs: 10 }, timers: { intervalMs: 10 } });
    await worker.start();
    try {
      // Read with a Prometheus text parser nobody on the project wrote, as a scraper would.
      const families = parsePrometheusTextFormat(await metrics.prometheusText());
      for (const name of ["tiffin_messages_failed_total", "tiffin_messages_dead_lettered_total"]) {
        const family = families.find((candidate) => candidate.name === name);
        expect(family?.type, name).toBe("COUNTER");
        const zeroed = new Set(family?.metrics.filter((sample) => Number(sample.value) === 0).map((sample) => sample.labels?.subscription));
        for (const subscription of WORKER_SUBSCRIPTIONS) expect(zeroed, `${name} for ${subscription}`).toContain(subscription);
      }
    } finally {
      await worker.stop();
    }
  });

  it("counts unresolved payment sagas in tiffin_sagas_unresolved", async () => {
    const unresolved: SagaState = {
      ...startSaga({ type: "order.placed", orderId: "o-unresolved", customerId: "c", restaurantId: "r", amount: money(100, "EUR"), at: "2026-01-01T00:00:00.000Z", payouts: splitPayout(money(100, "EUR"), DEFAULT_PAYOUT_POLICY) }),
      status: "unresolved",
      version: 1,
    };
    expect(await metrics.prometheusText()).toMatch(/^tiffin_sagas_unresolved 0$/m);
    await platform.container.get<UnitOfWork>(TOKENS.UnitOfWork).run(SYSTEM_PRINCIPAL, (tx) => tx.sagas.save(unresolved));
    expect(await metrics.prometheusText()).toMatch(/^tiffin_sagas_unresolved 1$/m);
  });

  it("counts outbox records the broker refused in tiffin_outbox_set_aside", async () => {
    const uow = platform.container.get<UnitOfWork>(TOKENS.UnitOfWork);
    expect(await metrics.prometheusText()).toMatch(/^tiffin_outbox_set_aside 0$/m);
    const refused = new OutboxRelay(uow, new SizeLimitedPublisher(platform.container.get<MessagePublisher>(TOKENS.MessagePublisher), 10), silentLogger, { relayId: "small-broker" });
    await uow.run(SYSTEM_PRINCIPAL, (tx) => tx.outbox.append(ORDER_EVENTS_TOPIC, [testEvent({ subject: "o-refused" })]));
    expect(await refused.drain()).toBe(1);
    expect(await metrics.prometheusText()).toMatch(/^tiffin_outbox_set_aside 1$/m);
  });
});
