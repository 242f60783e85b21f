import { PROMETHEUS_CONTENT_TYPE } from "@tiffin/runtime";
import type { Metrics } from "@tiffin/runtime";
import { Type } from "typebox";
import type { HealthCheck, TiffinFastify } from "./route-deps.js";

const tags = ["system"];
const HealthSchema = Type.Object({ status: Type.String(), checks: Type.Optional(Type.Record(Type.String(), Type.String())) }, { $id: "Health" });

/**
 * Liveness, readiness and metrics; shared by the API and the worker host. Readiness is false while stopping
 * and whenever the database or the broker does not answer.
 */
export function systemRoutes(app: TiffinFastify, deps: { health: HealthCheck; metrics: Metrics }): void {
  app.get(
    "/health/live",
    { config: { public: true }, schema: { tags, summary: "The process is up", response: { 200: HealthSchema } } },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/health/ready",
    { config: { public: true }, schema: { tags, summary: "Ready for traffic: not stopping; database and broker reachable", response: { 200: HealthSchema, 503: HealthSchema } } },
    async (_request, reply) => {
      if (!deps.health.ready()) return reply.code(503).send({ status: "stopping" });
      const checks = await deps.health.check();
      const ok = Object.values(checks).every((state) => state === "ok");
      return reply.code(ok ? 200 : 503).send({ status: ok ? "ok" : "unavailable", checks });
    },
  );

  app.get(
    "/metrics",
    {
      config: { public: true },
      schema: {
        tags,
        summary: "Prometheus metrics",
        produces: [PROMETHEUS_CONTENT_TYPE],
        response: { 200: { description: "Prometheus text exposition format", content: { [PROMETHEUS_CONTENT_TYPE]: { schema: { type: "string" } } } } },
      },
    },
    async (_request, reply) => reply.type(PROMETHEUS_CONTENT_TYPE).send(await deps.metrics.prometheusText()),
  );
}
