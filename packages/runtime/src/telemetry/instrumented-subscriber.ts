import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import {
  type CloudEvent,
  type DeliveryInfo,
  EVENT_TYPES,
  type Logger,
  type MessageHandler,
  type MessageSubscriber,
  SUBSCRIPTIONS,
  type Subscription,
  type QueueDepth,
  type ResolvedSubscriptionSpec,
  type SubscriptionSpec,
  canReportDepth,
  decideDelivery,
  resolveSubscriptionSpec,
} from "@tiffin/core";
import type { Metrics } from "./metrics.js";
import { contextFromMessage, tracer } from "./trace-context.js";

const SAGA_OUTCOMES: Readonly<Record<string, string>> = {
  "saga.completed": "completed",
  "saga.compensated": "compensated",
  "saga.failed": "failed",
};

/**
 * A MessageSubscriber decorator: each delivery runs in a consumer span that continues the message's trace
 * (child of its `traceparent`, and linked to it), is counted (handled / failed / dead-lettered per
 * subscription, each series starting at zero when the subscription starts) and logged with its ids. Whether a failure is retried or dead-lettered is the delivery policy's
 * verdict, asked with the same outcome, attempt and resolved spec as the broker asks it. Saga outcomes and projection lag are read off the projections
 * subscription, which sees every event exactly once per view.
 */
export class InstrumentedSubscriber implements MessageSubscriber, Partial<QueueDepth> {
  /** QueueDepth, present exactly when the wrapped subscriber reports depth (`canReportDepth` tells). */
  readonly depth?: (subscription: string) => Promise<number>;

  constructor(
    private readonly inner: MessageSubscriber,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {
    if (canReportDepth(inner)) this.depth = (subscription) => inner.depth(subscription);
  }

  subscribe(spec: SubscriptionSpec, handler: MessageHandler): Promise<Subscription> {
    return this.inner.subscribe(spec, this.instrument(spec, handler));
  }

  /**
   * The handler as `subscribe` runs it (span, counters starting at zero now, logs), for messages that arrive
   * without a subscription: pushed by the broker to `POST /push/:subscription`.
   */
  instrument(spec: SubscriptionSpec, handler: MessageHandler): MessageHandler {
    const resolved = resolveSubscriptionSpec(spec);
    this.metrics.countSubscription(spec.subscription, spec.eventTypes ?? EVENT_TYPES);
    return (message, delivery) => this.handle(message, delivery, resolved, handler);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async handle(message: CloudEvent, delivery: DeliveryInfo, spec: ResolvedSubscriptionSpec, handler: MessageHandler) {
    const parent = contextFromMessage(message);
    const parentSpan = trace.getSpanContext(parent);
    const span = tracer().startSpan(
      `${delivery.subscription} process`,
      {
        kind: SpanKind.CONSUMER,
        attributes: {
          "messaging.consumer.group.name": delivery.subscription,
          "messaging.message.id": message.id,
          "messaging.delivery.attempt": delivery.attempt,
          "cloudevents.event_type": message.type,
        },
        links: parentSpan === undefined ? [] : [{ context: parentSpan }],
      },
      parent,
    );
    const labels = { subscription: delivery.subscription, type: message.type };
    const log = this.logger.child({
      subscription: delivery.subscription,
      message_id: message.id,
      order_id: message.subject,
      correlation_id: message.correlationid,
      tenant: message.tenant,
      trace_id: span.spanContext().traceId,
    });
    try {
      await context.with(trace.setSpan(parent, span), () => handler(message, delivery));
      this.metrics.messagesHandled.add(1, labels);
      this.afterSuccess(message, delivery.subscription);
    } catch (error) {
      const verdict = decideDelivery({ kind: "failed", error }, delivery.attempt, spec);
      const deadLettered = verdict.action === "dead-letter";
      this.metrics.messagesFailed.add(1, labels);
      if (deadLettered) this.metrics.messagesDeadLettered.add(1, labels);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      log.warn(deadLettered ? "message dead-lettered" : "message handler failed; will retry", {
        type: message.type,
        attempt: delivery.attempt,
        code: (error as { code?: string }).code,
        reason: verdict.action === "ack" ? undefined : verdict.reason,
      });
      throw error;
    } finally {
      span.end();
    }
  }

  private afterSuccess(message: CloudEvent, subscription: string): void {
    if (subscription !== SUBSCRIPTIONS.projections) return;
    const outcome = SAGA_OUTCOMES[message.type];
    if (outcome !== undefined) this.metrics.sagaOutcomes.add(1, { outcome });
    const lagSeconds = (Date.now() - Date.parse(message.time)) / 1000;
    if (Number.isFinite(lagSeconds) && lagSeconds >= 0) this.metrics.projectionLag.record(lagSeconds, { type: message.type });
  }
}
