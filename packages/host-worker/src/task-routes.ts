import type { TickLimits, TickReport } from "@tiffin/core";
import type { FastifyInstance } from "fastify";
import type { CallerAuth } from "./caller-auth.js";
import { sendProblem } from "./problem.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route authenticates its caller itself; the API's bearer-token hook leaves it alone. */
    public?: boolean;
  }
}

/**
 * `POST /tasks/tick`: one bounded pass of the relay, due timers, saga recovery and reconciliation, for platforms
 * that give CPU only while a request is in flight. A scheduler (Cloud Scheduler, EventBridge Scheduler) calls it
 * every minute. Answers 200 with what the pass did, or 503 with the same report when a part failed (the scheduler
 * retries); an unauthenticated caller gets 401/403 and runs nothing.
 */
export function registerTaskRoutes(app: FastifyInstance, deps: { tick: (limits?: TickLimits) => Promise<TickReport>; auth: CallerAuth }): void {
  app.post("/tasks/tick", { config: { public: true } }, async (request, reply) => {
    const caller = await deps.auth(request.headers);
    if (!caller.ok) return sendProblem(reply, caller.status, caller.code, caller.detail, request.url);
    const report = await deps.tick();
    return reply.code(report.errors.length === 0 ? 200 : 503).send(report);
  });
}
