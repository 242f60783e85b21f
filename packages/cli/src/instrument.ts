/**
 * The telemetry entry module: `main.ts` imports it before anything else, so the OpenTelemetry SDK is registered
 * before fastify, pg or any adapter module is loaded.
 */
import { startTelemetry } from "@tiffin/runtime";

export const telemetry = startTelemetry(process.env, process.env.OTEL_SERVICE_NAME ?? "tiffin");
