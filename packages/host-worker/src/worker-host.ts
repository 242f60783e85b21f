import { type MessageHandler, type MessageSubscriber, type SubscriptionSpec, TOKENS, type Worker, type WorkerOptions } from "@tiffin/core";
import { InstrumentedSubscriber, type Lifecycle, type Platform, pushReceiverFor } from "@tiffin/runtime";
import type { FastifyInstance } from "fastify";
import { taskCallerAuth } from "./caller-auth.js";
import { buildHealthServer } from "./health-server.js";
import { registerPushRoutes } from "./push-routes.js";
import { registerTaskRoutes } from "./task-routes.js";

/**
 * Runs the application's Worker on the platform and registers its stop with the lifecycle: no new messages,
 * in-flight handlers and steps finish. With pull delivery (the default) the worker subscribes and runs its loops
 * (relay, timers, recovery); with `TIFFIN_DELIVERY=push` it runs nothing in the background and works only when
 * called: `POST /tasks/tick` and `POST /push/:subscription`, so the platform may scale it to zero. With `listen` it serves
 * health, metrics and those endpoints on PORT (`tiffin work`); `tiffin start` mounts them on the API instead.
 */
export async function startWorkerHost(
  platform: Platform,
  lifecycle: Lifecycle,
  options: { listen: boolean; worker?: WorkerOptions },
): Promise<{ worker: Worker; url: string | null; routes: (app: FastifyInstance) => void }> {
  const worker = platform.createWorker(options.worker);
  const pull = platform.config.workerEndpoints.delivery === "pull";
  // Push delivery needs a broker that pushes; resolving its receiver now stops a misconfigured start-up at once.
  const receiver = pull ? null : await pushReceiverFor(platform.config);
  if (pull) await worker.start();
  // Pushed messages run through the same instrumentation as pulled ones; their counters start at zero now.
  const subscriber = platform.container.get<MessageSubscriber>(TOKENS.MessageSubscriber);
  const pushed = new Map<string, { spec: SubscriptionSpec; handler: MessageHandler }>();
  if (!pull) {
    for (const spec of worker.subscriptionSpecs()) {
      const consumer = worker.consumer(spec.subscription);
      if (consumer === undefined) continue;
      const handler = subscriber instanceof InstrumentedSubscriber ? subscriber.instrument(consumer.spec, consumer.handler) : consumer.handler;
      pushed.set(spec.subscription, { spec: consumer.spec, handler });
    }
  }
  const routes = (app: FastifyInstance): void => {
    registerTaskRoutes(app, { tick: (limits) => worker.tick(limits), auth: taskCallerAuth(platform.config.workerEndpoints) });
    if (receiver !== null) {
      const logger = platform.logger.child({ component: "push" });
      registerPushRoutes(app, { receiver, logger, consumer: (subscription) => pushed.get(subscription) });
    }
  };
  let url: string | null = null;
  if (options.listen) {
    const server = buildHealthServer({ ready: () => lifecycle.ready, check: () => platform.check(), metrics: platform.metrics });
    routes(server);
    url = await server.listen({ port: platform.config.port, host: platform.config.host });
    lifecycle.onStop("health server", "intake", () => server.close());
  }
  if (pull) lifecycle.onStop("worker", "work", () => worker.stop());
  platform.logger.info("worker delivery", { delivery: platform.config.workerEndpoints.delivery });
  return { worker, url, routes };
}
