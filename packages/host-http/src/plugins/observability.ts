import { type Span, SpanKind, SpanStatusCode, context, propagation, trace } from "@opentelemetry/api";
import type { Logger } from "@tiffin/core";
import type { Metrics } from "@tiffin/runtime";
import type { FastifyInstance, FastifyRequest } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    span: Span | null;
  }
}

/** Records one finished request in the HTTP metrics (and the debug access log). */
export type ObserveRequest = (request: FastifyRequest, status: number, elapsedMs: number) => void;

/** The route template a request matched, or "unmatched" (404s and router errors): never the raw path. */
const routeOf = (request: FastifyRequest): string => request.routeOptions.url ?? "unmatched";

/** The recorder both the response hook and the router's error handler use. */
export function requestObserver(metrics: Metrics, logger: Logger): ObserveRequest {
  return (request, status, elapsedMs) => {
    const labels = { method: request.method, route: routeOf(request), status_code: status };
    metrics.httpDuration.record(elapsedMs / 1000, labels);
    // An access line per request at debug: ids and timings only, never headers or bodies.
    logger.debug("request", { ...labels, duration_ms: Math.round(elapsedMs), trace_id: request.span?.spanContext().traceId });
  };
}

/**
 * One server span per request (continuing an incoming `traceparent`) and the HTTP golden signals: duration by
 * method, route template and status code, from which traffic and error rates follow.
 */
export function registerObservability(app: FastifyInstance, observe: ObserveRequest): void {
  app.decorateRequest("span", null);
  app.addHook("onRequest", (request, _reply, done) => {
    const parent = propagation.extract(context.active(), request.headers);
    const route = routeOf(request);
    request.span = trace.getTracer("tiffin").startSpan(
      `${request.method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method, "http.route": route } },
      parent,
    );
    context.with(trace.setSpan(parent, request.span), done);
  });
  app.addHook("onResponse", async (request, reply) => {
    observe(request, reply.statusCode, reply.elapsedTime);
    if (request.span !== null) {
      request.span.setAttribute("http.response.status_code", reply.statusCode);
      if (reply.statusCode >= 500) request.span.setStatus({ code: SpanStatusCode.ERROR });
      request.span.end();
    }
  });
}
