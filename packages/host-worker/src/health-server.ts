import { PROMETHEUS_CONTENT_TYPE } from "@tiffin/runtime";
import type { Metrics } from "@tiffin/runtime";
import Fastify, { type FastifyInstance } from "fastify";

/**
 * The worker's small HTTP server: `/health/live`, `/health/ready` (false while stopping or when the database or
 * broker does not answer) and `/metrics`, so a platform can probe and scrape a worker like the API.
 */
export function buildHealthServer(deps: {
  ready: () => boolean;
  check: () => Promise<Readonly<Record<string, string>>>;
  metrics: Metrics;
}): FastifyInstance {
  const app = Fastify({ logger: false, forceCloseConnections: "idle" });
  app.get("/health/live", async () => ({ status: "ok" }));
  app.get("/health/ready", async (_request, reply) => {
    if (!deps.ready()) return reply.code(503).send({ status: "stopping" });
    const checks = await deps.check();
    const ok = Object.values(checks).every((state) => state === "ok");
    return reply.code(ok ? 200 : 503).send({ status: ok ? "ok" : "unavailable", checks });
  });
  app.get("/metrics", async (_request, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(await deps.metrics.prometheusText()));
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).type("application/problem+json").send({
      type: "https://tiffin.dev/problems/not-found",
      title: "Not Found",
      status: 404,
      detail: `no route ${request.method} ${request.url}`,
      code: "NOT_FOUND",
      instance: request.url,
    }),
  );
  return app;
}
