import { SpanKind, context, trace } from "@opentelemetry/api";
import { NodeSDK, tracing } from "@opentelemetry/sdk-node";
import { OutboxRelay, SYSTEM_PRINCIPAL, silentLogger } from "@tiffin/core";
import { TEST_META, samplePlacement, waitFor } from "@tiffin/core/testing";
import { InMemoryBroker, InMemoryUnitOfWork } from "@tiffin/core/memory";
import { afterAll, describe, expect, it } from "vitest";
import { InstrumentedSubscriber } from "./instrumented-subscriber.js";
import { Metrics } from "./metrics.js";
import { TracingPublisher } from "./tracing-publisher.js";
import { TracingUnitOfWork } from "./tracing-unit-of-work.js";

const exporter = new tracing.InMemorySpanExporter();
const sdk = new NodeSDK({ autoDetectResources: false, metricReaders: [], spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
sdk.start();
afterAll(() => sdk.shutdown());

type Finished = tracing.ReadableSpan;
const parentOf = (span: Finished): string | undefined => span.parentSpanContext?.spanId;

describe("one trace from the request through the outbox to every consumer", () => {
  it("the relay's publish span continues the stored traceparent and the consumers continue the publish", async () => {
    const uow = new TracingUnitOfWork(new InMemoryUnitOfWork());
    const broker = new InMemoryBroker();
    const subscriber = new InstrumentedSubscriber(broker, new Metrics(), silentLogger);
    const handled: string[] = [];
    for (const subscription of ["payment-saga", "projections"]) {
      await subscriber.subscribe({ topic: "tiffin.order-events", subscription }, async () => void handled.push(subscription));
    }

    // The API request writes the order and its outbox row, then answers; nothing is published inside it.
    const request = trace.getTracer("test").startSpan("POST /v1/orders", { kind: SpanKind.SERVER });
    const placement = samplePlacement();
    await context.with(trace.setSpan(context.active(), request), () => uow.run(SYSTEM_PRINCIPAL, (tx) => tx.orders.create(placement, TEST_META)));
    request.end();

    // Later, outside any request, the relay publishes it (as the worker's loop would, with no active span).
    const relay = new OutboxRelay(uow, new TracingPublisher(broker), silentLogger, { relayId: "relay-1" });
    expect(await context.with(trace.deleteSpan(context.active()), () => relay.drain())).toBe(1);
    await waitFor(() => handled.length === 2, { what: "both consumers handled order.placed" });
    await subscriber.close();

    const spans = exporter.getFinishedSpans();
    const traceId = request.spanContext().traceId;
    const publish = spans.filter((s) => s.kind === SpanKind.PRODUCER);
    expect(publish).toHaveLength(1);
    expect(publish[0]?.spanContext().traceId).toBe(traceId);
    expect(parentOf(publish[0]!)).toBe(request.spanContext().spanId);
    expect(publish[0]?.attributes["messaging.message.id"]).toBe(`${placement.order.id}:1:0`);
    const consumers = spans.filter((s) => s.kind === SpanKind.CONSUMER);
    expect(consumers.map((s) => s.name).sort()).toEqual(["payment-saga process", "projections process"]);
    for (const consumer of consumers) {
      expect(consumer.spanContext().traceId).toBe(traceId);
      expect(parentOf(consumer)).toBe(publish[0]?.spanContext().spanId);
    }
  });
});
