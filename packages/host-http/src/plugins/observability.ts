import { type Span, SpanKind, SpanStatusCode, context, propagation, trace } from "@opentelemetry/api";
import type { Logger } from "@tiffin/core";
import type { Metrics } from "@tiffin/runtime";
import type { FastifyInstance } from "fastify";

declare module "fastify" {
  interface FastifyRequest {
    span: Span | null;
  }
}

/**
 * One server span per request (continuing an incoming `traceparent`) and the HTTP golden signals: duration by
 * method, route template and status code, from which traffic and error rates follow.
 */
export function registerObservability(app: FastifyInstance, metrics: Metrics, logger: Logger): void {
  app.decorateRequest("span", null);
  app.addHook("onRequest", (request, _reply, done) => {
    const parent = propagation.extract(context.active(), request.headers);
    const route = request.routeOptions.url ?? "unmatched";
    request.span = trace.getTracer("tiffin").startSpan(
      `${request.method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { "http.request.method": request.method, "http.route": route } },
      parent,
    );
    context.with(trace.setSpan(parent, request.span), done);
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    const labels = { method: request.method, route, status_code: reply.statusCode };
    metrics.httpDuration.record(reply.elapsedTime / 1000, labels);
    // An access line per request at debug: ids and timings only, never headers or bodies.
    logger.debug("request", { ...labels, duration_ms: Math.round(reply.elapsedTime), trace_id: request.span?.spanContext().traceId });
    if (request.span !== null) {
      request.span.setAttribute("http.response.status_code", reply.statusCode);
      if (reply.statusCode >= 500) request.span.setStatus({ code: SpanStatusCode.ERROR });
      request.span.end();
    }
  });
}
