import type { Logger } from "@tiffin/core";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { HttpProblem, PROBLEM_CONTENT_TYPE, type ProblemDocument, problem } from "./problem.js";

/** Fastify's own client errors, by their codes, as Tiffin codes. */
const FASTIFY_CODES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "UNSUPPORTED_MEDIA_TYPE",
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: "VALIDATION_FAILED",
  FST_ERR_CTP_EMPTY_JSON_BODY: "VALIDATION_FAILED",
  FST_ERR_CTP_INVALID_JSON_BODY: "VALIDATION_FAILED",
  FST_ERR_BAD_URL: "VALIDATION_FAILED",
  FST_ERR_MAX_PARAM_LENGTH: "URI_TOO_LONG",
};

/** Seconds a client should wait before retrying after a transient fault (Retry-After). */
const RETRY_AFTER_SECONDS = 1;

/** A fault that says a retry may succeed (a lost database connection, a serialization conflict): 503, not 500. */
const isTransientFault = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (error as { transient?: unknown }).transient === true;

/** Methods the 405 check tries; HEAD and OPTIONS follow GET and CORS and are never the only route on a path. */
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

function toProblem(error: FastifyError | HttpProblem, instance: string): ProblemDocument {
  if (error instanceof HttpProblem) return problem(error.code, error.message, instance, error.details);
  if (isTransientFault(error)) return problem("SERVICE_UNAVAILABLE", "a dependency is briefly unavailable; retry the request", instance);
  if (error.validation !== undefined) {
    return problem("VALIDATION_FAILED", error.message, instance, {
      errors: error.validation.map((issue) => ({ path: issue.instancePath, message: issue.message ?? "invalid" })),
    });
  }
  const mapped = error.code === undefined ? undefined : FASTIFY_CODES[error.code];
  if (mapped !== undefined) return problem(mapped, error.message, instance);
  const status = error.statusCode ?? 500;
  // Any other client error fastify raises (bad JSON, bad headers): a 400, never a 5xx.
  if (status >= 400 && status < 500) return problem(status === 413 ? "PAYLOAD_TOO_LARGE" : "VALIDATION_FAILED", error.message, instance);
  return problem("INTERNAL", "an unexpected error occurred", instance);
}

export function sendProblem(reply: FastifyReply, body: ProblemDocument): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** The request path without its query, for `instance` (a raw URL may not even decode). */
const pathOf = (url: string): string => url.split("?")[0] ?? url;

/**
 * Renders every error and unknown route as `application/problem+json`; logs server faults (once, with the stack),
 * not client ones. A path that exists under other methods is 405 with `Allow`, not 404.
 */
export function registerProblemHandling(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler((error: FastifyError | HttpProblem, request: FastifyRequest, reply: FastifyReply) => {
    const body = toProblem(error, pathOf(request.url));
    if (body.code === "SERVICE_UNAVAILABLE") {
      logger.warn("request failed on a transient fault", { method: request.method, route: request.routeOptions.url, err: error });
      void reply.header("retry-after", String(RETRY_AFTER_SECONDS));
    } else if (body.status >= 500) {
      logger.error("request failed", { method: request.method, route: request.routeOptions.url, err: error });
    }
    return sendProblem(reply, body);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = pathOf(request.url);
    const allowed = METHODS.filter((method) => method !== request.method && app.findRoute({ method, url: path }) !== null);
    if (allowed.length > 0) {
      void reply.header("allow", allowed.join(", "));
      return sendProblem(reply, problem("METHOD_NOT_ALLOWED", `${request.method} is not allowed on ${path}; use ${allowed.join(", ")}`, path));
    }
    return sendProblem(reply, problem("NOT_FOUND", `no route ${request.method} ${path}`, path));
  });
}

/**
 * Fastify's `frameworkErrors`: errors the router raises before any route is chosen (a malformed percent-encoding,
 * a path parameter over the router's limit). They never reach the error handler or the response hooks, so they
 * are rendered here and reported to `observe` for the HTTP metrics.
 */
export function frameworkErrorHandler(observe: (request: FastifyRequest, status: number) => void) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const body = toProblem(error, pathOf(request.url));
    observe(request, body.status);
    void sendProblem(reply, body);
  };
}
