import { type Span, SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import type { CloudEvent, MessagePublisher } from "@tiffin/core";
import { contextFromMessage, traceHeaders, tracer } from "./trace-context.js";

/**
 * A MessagePublisher decorator that keeps the trace unbroken at the outbox. Each message gets a producer span that
 * continues the trace context stored with it (the request or consumer span that wrote it to the outbox; the active
 * context when it has none) and leaves carrying that span's `traceparent`, so consumers become children of the
 * publish: one trace shows request -> publish -> each consumer, with the time the message waited in the outbox.
 */
export class TracingPublisher implements MessagePublisher {
  constructor(
    /** The undecorated publisher, for optional abilities such as its message size limit. */
    readonly inner: MessagePublisher,
  ) {}

  async publish(topic: string, messages: readonly CloudEvent[]): Promise<void> {
    const traced = messages.map((message) => this.start(topic, message));
    try {
      await this.inner.publish(topic, traced.map((t) => t.message));
    } catch (error) {
      for (const { span } of traced) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      for (const { span } of traced) span.end();
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private start(topic: string, message: CloudEvent): { span: Span; message: CloudEvent } {
    const parent = message.traceparent === undefined ? context.active() : contextFromMessage(message);
    const span = tracer().startSpan(
      `${topic} publish`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          "messaging.operation.type": "send",
          "messaging.destination.name": topic,
          "messaging.message.id": message.id,
          "cloudevents.event_type": message.type,
          ...(message.subject === undefined ? {} : { "cloudevents.event_subject": message.subject }),
        },
      },
      parent,
    );
    const headers = traceHeaders(trace.setSpan(parent, span));
    return { span, message: headers.traceparent === undefined ? message : { ...message, ...headers } };
  }
}
