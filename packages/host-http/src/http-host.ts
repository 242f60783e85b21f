import type { Lifecycle, Platform, ResolvedJwt } from "@tiffin/runtime";
import { buildHttpApp } from "./app.js";
import { createTokenVerifier } from "./auth/jwt.js";
import { type ConsoleOptions, registerConsole } from "./plugins/console.js";
import type { TiffinFastify } from "./routes/route-deps.js";

/**
 * Serves the API on the platform: builds the app (plus `options.routes`), listens on the configured port, and registers its stop (no
 * new connections, event streams ended, in-flight requests finished) with the lifecycle. With `options.console` it
 * also serves the web console under /app/. Returns the bound URL and the console's URL (null when not served).
 */
export async function startHttpHost(
  platform: Platform,
  lifecycle: Lifecycle,
  jwt: ResolvedJwt,
  options: { routes?: (app: TiffinFastify) => void; console?: ConsoleOptions } = {},
): Promise<{ app: TiffinFastify; url: string; consoleUrl: string | null }> {
  const app = await buildHttpApp({
    tiffin: platform.tiffin,
    verifyToken: createTokenVerifier(jwt),
    logger: platform.logger.child({ component: "http" }),
    metrics: platform.metrics,
    health: { ready: () => lifecycle.ready, check: () => platform.check() },
    bodyLimitBytes: platform.config.bodyLimitBytes,
    ...(platform.config.streams === "notify" ? { viewChanges: platform.viewChanges } : {}),
  });
  // Routes another host contributes when both run in one process (`tiffin start`: the worker's tick and push).
  options.routes?.(app);
  const consoleServed = options.console === undefined ? false : await registerConsole(app, options.console);
  if (options.console !== undefined && !consoleServed) platform.logger.warn("console not built: run `npm run build` to serve it under /app/");
  const address = await app.listen({ port: platform.config.port, host: platform.config.host });
  lifecycle.onStop("http server", "intake", () => app.close());
  const url = address.replace("0.0.0.0", "localhost").replace("[::]", "localhost");
  return { app, url, consoleUrl: consoleServed ? `${url}/app/` : null };
}
