import { context, trace } from "@opentelemetry/api";
import { type CloudEvent, InfrastructureError, silentLogger } from "@tiffin/core";
import { InMemoryBroker } from "@tiffin/core/memory";
import { afterAll, describe, expect, it } from "vitest";
import { InstrumentedSubscriber } from "./instrumented-subscriber.js";
import { Metrics } from "./metrics.js";
import { startTelemetry } from "./start.js";
import { TracingPublisher } from "./tracing-publisher.js";

const telemetry = startTelemetry({});
afterAll(() => telemetry.shutdown());

const event = (id: string, extra: Partial<CloudEvent> = {}): CloudEvent => ({
  specversion: "1.0",
  id,
  source: "test",
  type: "order.placed",
  time: new Date().toISOString(),
  subject: `order-${id}`,
  datacontenttype: "application/json",
  data: {},
  ...extra,
});

/** Polls until `probe` gives a value (bounded: 2 s). */
async function until<T>(probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i += 1) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("condition not reached");
}

describe("trace context across the broker", () => {
  it("injects traceparent on publish and continues the trace in the consumer", async () => {
    const broker = new InMemoryBroker();
    const metrics = new Metrics();
    const publisher = new TracingPublisher(broker);
    const subscriber = new InstrumentedSubscriber(broker, metrics, silentLogger);
    const seen: { traceparent?: string; traceId?: string }[] = [];
    await subscriber.subscribe({ topic: "t", subscription: "projections" }, async (message) => {
      seen.push({ traceparent: message.traceparent, traceId: trace.getActiveSpan()?.spanContext().traceId });
    });

    const origin = trace.getTracer("test").startSpan("api request");
    await context.with(trace.setSpan(context.active(), origin), () => publisher.publish("t", [event("1")]));
    origin.end();

    const delivered = await until(() => seen[0]);
    const originTrace = origin.spanContext().traceId;
    expect(delivered.traceparent).toMatch(new RegExp(`^00-${originTrace}-[0-9a-f]{16}-01$`));
    expect(delivered.traceId).toBe(originTrace);
    const handled = /tiffin_messages_handled_total\{subscription="projections",type="order.placed"\} 1/;
    await until(async () => (handled.test(await metrics.prometheusText()) ? true : undefined));
    await subscriber.close();
  });

  it("continues the trace a message already carries: it leaves as a child of it, not of the publisher's context", async () => {
    const broker = new InMemoryBroker();
    const publisher = new TracingPublisher(broker);
    const received: CloudEvent[] = [];
    await broker.subscribe({ topic: "t", subscription: "s" }, async (message) => void received.push(message));
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const other = trace.getTracer("test").startSpan("unrelated");
    await context.with(trace.setSpan(context.active(), other), () => publisher.publish("t", [event("2", { traceparent })]));
    other.end();
    expect((await until(() => received[0])).traceparent).toMatch(/^00-0af7651916cd43dd8448eb211c80319c-(?!b7ad6b7169203331)[0-9a-f]{16}-01$/);
    await broker.close();
  });

  it("counts failures and dead letters per subscription", async () => {
    const broker = new InMemoryBroker();
    const metrics = new Metrics();
    const subscriber = new InstrumentedSubscriber(broker, metrics, silentLogger);
    let calls = 0;
    await subscriber.subscribe({ topic: "t", subscription: "kitchen", maxDeliveries: 1 }, async () => {
      calls += 1;
      throw new InfrastructureError("INFRA_UNEXPECTED", "permanent", { transient: false });
    });
    await broker.publish("t", [event("3")]);
    const deadLettered = /tiffin_messages_dead_lettered_total\{subscription="kitchen",type="order.placed"\} 1/;
    const text = await until(async () => {
      const current = await metrics.prometheusText();
      return deadLettered.test(current) ? current : undefined;
    });
    expect(calls).toBe(1);
    expect(text).toMatch(/tiffin_messages_failed_total\{subscription="kitchen",type="order.placed"\} 1/);
    expect(text).toMatch(/tiffin_messages_dead_lettered_total\{subscription="kitchen",type="order.placed"\} 1/);
    expect(await until(async () => ((await broker.list("kitchen")).length === 1 ? true : undefined))).toBe(true);
    await subscriber.close();
  });

  it("instruments a handler that receives pushed messages: its series start at zero, its failures are counted", async () => {
    const broker = new InMemoryBroker();
    const metrics = new Metrics();
    const subscriber = new InstrumentedSubscriber(broker, metrics, silentLogger);
    const pushed = subscriber.instrument({ topic: "t", subscription: "kitchen", eventTypes: ["payment.captured"] }, async () => {
      throw new InfrastructureError("INFRA_UNEXPECTED", "permanent", { transient: false });
    });
    expect(await metrics.prometheusText()).toMatch(/tiffin_messages_failed_total\{subscription="kitchen",type="payment.captured"\} 0/);
    await expect(pushed(event("4", { type: "payment.captured" }), { subscription: "kitchen", attempt: 1 })).rejects.toThrow("permanent");
    const text = await metrics.prometheusText();
    expect(text).toMatch(/tiffin_messages_failed_total\{subscription="kitchen",type="payment.captured"\} 1/);
    expect(text).toMatch(/tiffin_messages_dead_lettered_total\{subscription="kitchen",type="payment.captured"\} 1/);
    await broker.close();
  });
});
