import { createRequire } from "node:module";
import type { NodeSDK } from "@opentelemetry/sdk-node";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";

export interface TelemetryHandle {
  shutdown(): Promise<void>;
}

const requireCjs = createRequire(import.meta.url);

/**
 * Starts tracing: a tracer provider always (so logs and messages carry trace ids), exporting by OTLP (the SDK's
 * standard `OTEL_EXPORTER_OTLP_*` variables) only when `OTEL_EXPORTER_OTLP_ENDPOINT` is set. Metrics are not
 * exported here: `Metrics` serves them on `GET /metrics`.
 *
 * Without an endpoint, a bare tracer provider does what the SDK would (the W3C propagators, async-local context),
 * and the SDK itself is not loaded: with every exporter it pulls in (gRPC, protobuf), it took longer to load than
 * the rest of a start and held tens of MB. With an endpoint it is loaded here, synchronously, so the exporter is in
 * place before anything else starts.
 */
export function startTelemetry(env: NodeJS.ProcessEnv = process.env, serviceName = "tiffin"): TelemetryHandle {
  if ((env.OTEL_EXPORTER_OTLP_ENDPOINT ?? "").trim() === "") {
    const provider = new NodeTracerProvider();
    provider.register();
    return { shutdown: () => provider.shutdown() };
  }
  const sdkNode = requireCjs("@opentelemetry/sdk-node") as { NodeSDK: typeof NodeSDK };
  const sdk = new sdkNode.NodeSDK({ serviceName, autoDetectResources: false, metricReaders: [], logRecordProcessors: [] });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
