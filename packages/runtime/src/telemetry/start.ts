import { NodeSDK, tracing } from "@opentelemetry/sdk-node";

export interface TelemetryHandle {
  shutdown(): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK: a tracer provider always (so logs and messages carry trace ids), exporting
 * by OTLP (the SDK's standard `OTEL_EXPORTER_OTLP_*` variables) only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set.
 * Metrics are not exported here: `Metrics` serves them on `GET /metrics`.
 */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env, serviceName = "tiffin"): TelemetryHandle {
  const exportTraces = (env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "").trim() !== "";
  const sdk = new NodeSDK({
    serviceName,
    autoDetectResources: false,
    metricReaders: [],
    logRecordProcessors: [],
    // Without a processor the SDK registers no tracer provider at all; the no-op one keeps ids flowing.
    ...(exportTraces ? {} : { spanProcessors: [new tracing.NoopSpanProcessor()] }),
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
