import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import type { CloudEvent, MessagePublisher } from "@tiffin/core";
import { tracer, withTraceContext } from "./trace-context.js";

/**
 * A MessagePublisher decorator: every message leaves with a W3C `traceparent` (its own, when the use case that
 * wrote it had one, else the publish span's), so consumers continue the trace across processes.
 */
export class TracingPublisher implements MessagePublisher {
  constructor(private readonly inner: MessagePublisher) {}

  async publish(topic: string, messages: readonly CloudEvent[]): Promise<void> {
    const span = tracer().startSpan(`${topic} publish`, {
      kind: SpanKind.PRODUCER,
      attributes: { "messaging.destination.name": topic, "messaging.batch.message_count": messages.length },
    });
    const ctx = trace.setSpan(context.active(), span);
    try {
      await context.with(ctx, () => this.inner.publish(topic, messages.map((message) => withTraceContext(message, ctx))));
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
