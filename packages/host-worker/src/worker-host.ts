import type { Worker, WorkerOptions } from "@tiffin/core";
import type { Lifecycle, Platform } from "@tiffin/runtime";
import { buildHealthServer } from "./health-server.js";

/**
 * Runs the application's Worker (relay, consumers, saga, timers, recovery) on the platform and registers its stop
 * with the lifecycle: no new messages, in-flight handlers and steps finish. With `listen`, also serves health and
 * metrics on PORT (`tiffin work`); `tiffin start` leaves that to the API, which serves the same routes.
 */
export async function startWorkerHost(
  platform: Platform,
  lifecycle: Lifecycle,
  options: { listen: boolean; worker?: WorkerOptions },
): Promise<{ worker: Worker; url: string | null }> {
  const worker = platform.createWorker(options.worker);
  await worker.start();
  let url: string | null = null;
  if (options.listen) {
    const server = buildHealthServer({ ready: () => lifecycle.ready, check: () => platform.check(), metrics: platform.metrics });
    url = await server.listen({ port: platform.config.port, host: platform.config.host });
    lifecycle.onStop("health server", "intake", () => server.close());
  }
  lifecycle.onStop("worker", "work", () => worker.stop());
  return { worker, url };
}
