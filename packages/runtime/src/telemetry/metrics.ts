import type { Attributes, Counter, Histogram, Meter } from "@opentelemetry/api";
import { PrometheusExporter, PrometheusSerializer } from "@opentelemetry/exporter-prometheus";
import { MeterProvider } from "@opentelemetry/sdk-metrics";

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const LAG_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300];

/** A gauge read on every scrape; a failing reader skips its sample rather than failing the scrape. */
export type GaugeReader = () => Promise<readonly { readonly value: number; readonly attributes: Attributes }[]>;

/**
 * Tiffin's metrics (the golden signals of the API and of every subscription), exported in Prometheus text
 * by `GET /metrics`. A process-local MeterProvider, so tests and several apps in one process never share counts.
 */
export class Metrics {
  readonly httpDuration: Histogram;
  readonly messagesHandled: Counter;
  readonly messagesFailed: Counter;
  readonly messagesDeadLettered: Counter;
  readonly sagaOutcomes: Counter;
  readonly projectionLag: Histogram;
  readonly reconciliationRepairs: Counter;
  readonly circuitTransitions: Counter;
  private readonly exporter = new PrometheusExporter({ preventServerStart: true });
  private readonly serializer = new PrometheusSerializer(undefined, false, undefined, true, true);
  private readonly provider: MeterProvider;
  private readonly meter: Meter;
  private readonly gauges = new Map<string, GaugeReader>();

  constructor() {
    this.provider = new MeterProvider({ readers: [this.exporter] });
    this.meter = this.provider.getMeter("tiffin");
    this.httpDuration = this.meter.createHistogram("http_server_request_duration_seconds", {
      unit: "s",
      description: "HTTP requests by method, route and status code (latency, traffic and errors)",
      advice: { explicitBucketBoundaries: SECONDS_BUCKETS },
    });
    this.messagesHandled = this.meter.createCounter("tiffin_messages_handled_total", {
      description: "Messages a subscription's handler processed successfully",
    });
    this.messagesFailed = this.meter.createCounter("tiffin_messages_failed_total", {
      description: "Handler attempts that threw (the message is retried or dead-lettered)",
    });
    this.messagesDeadLettered = this.meter.createCounter("tiffin_messages_dead_lettered_total", {
      description: "Messages given up on: a permanent error or the last allowed delivery failed",
    });
    this.sagaOutcomes = this.meter.createCounter("tiffin_saga_outcomes_total", {
      description: "Payment sagas that ended, by outcome (completed, compensated, failed)",
    });
    this.reconciliationRepairs = this.meter.createCounter("tiffin_reconciliation_repairs_total", {
      description: "Orders the reconciliation sweep repaired, by what a lost message had left undone (kind)",
    });
    this.circuitTransitions = this.meter.createCounter("tiffin_gateway_circuit_transitions_total", {
      description: "Changes of a provider gateway's circuit breaker, by gateway and the state it entered (opened, half_open, closed)",
    });
    this.projectionLag = this.meter.createHistogram("tiffin_projection_lag_seconds", {
      unit: "s",
      description: "Time from an event to its projection into the read model",
      advice: { explicitBucketBoundaries: LAG_BUCKETS },
    });
    this.meter
      .createObservableGauge("tiffin_queue_depth", { description: "Messages waiting per subscription" })
      .addCallback(async (result) => {
        const reader = this.gauges.get("queue_depth");
        for (const sample of reader === undefined ? [] : await reader().catch(() => [])) {
          result.observe(sample.value, sample.attributes);
        }
      });
    this.meter
      .createObservableGauge("tiffin_outbox_pending", { description: "Outbox messages not yet published" })
      .addCallback(async (result) => {
        const reader = this.gauges.get("outbox_pending");
        for (const sample of reader === undefined ? [] : await reader().catch(() => [])) {
          result.observe(sample.value, sample.attributes);
        }
      });
    this.meter
      .createObservableGauge("tiffin_sagas_unresolved", {
        description: "Payment sagas whose step was refused after an unanswered attempt, awaiting the provider's ledger",
      })
      .addCallback(async (result) => {
        const reader = this.gauges.get("sagas_unresolved");
        for (const sample of reader === undefined ? [] : await reader().catch(() => [])) {
          result.observe(sample.value, sample.attributes);
        }
      });
    this.meter
      .createObservableGauge("tiffin_outbox_set_aside", {
        description: "Outbox messages the broker refused for good, set aside (with their orders' later events) until replayed",
      })
      .addCallback(async (result) => {
        const reader = this.gauges.get("outbox_set_aside");
        for (const sample of reader === undefined ? [] : await reader().catch(() => [])) {
          result.observe(sample.value, sample.attributes);
        }
      });
  }

  /**
   * Starts a subscription's message counters at zero for each event type it receives, so the handled, failed and
   * dead-lettered series exist (and alerts on their rate see 0) before the first message, or the first failure.
   */
  countSubscription(subscription: string, types: readonly string[]): void {
    for (const type of types) {
      const labels = { subscription, type };
      this.messagesHandled.add(0, labels);
      this.messagesFailed.add(0, labels);
      this.messagesDeadLettered.add(0, labels);
    }
  }

  /** Sets what the `tiffin_queue_depth`, `tiffin_outbox_pending`, `tiffin_sagas_unresolved` or `tiffin_outbox_set_aside` gauge reads on each scrape. */
  observe(gauge: "queue_depth" | "outbox_pending" | "sagas_unresolved" | "outbox_set_aside", reader: GaugeReader): void {
    this.gauges.set(gauge, reader);
  }

  /** The current values in Prometheus text exposition format. */
  async prometheusText(): Promise<string> {
    const { resourceMetrics } = await this.exporter.collect();
    return this.serializer.serialize(resourceMetrics);
  }

  async shutdown(): Promise<void> {
    await this.provider.shutdown();
  }
}

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
