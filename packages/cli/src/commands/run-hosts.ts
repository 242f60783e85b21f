import { type ConsoleOptions, startHttpHost } from "@tiffin/host-http";
import { startWorkerHost } from "@tiffin/host-worker";
import { type Config, type Env, type Lifecycle, type Platform, type TelemetryHandle, isEmbedded, resolveJwt } from "@tiffin/runtime";
import { boot } from "../boot.js";
import { printBanner } from "../banner.js";
import { demoIdentities } from "../console-identities.js";

export type HostMode = "start" | "serve" | "work";

/**
 * `tiffin start` (API and worker in one process), `serve` (API) or `work` (worker, with health and metrics on
 * PORT). Runs until SIGTERM/SIGINT, then stops in order (see Lifecycle) and exits 0.
 */
export async function runHosts(mode: HostMode, configured: Config, env: Env, telemetry: TelemetryHandle): Promise<void> {
  const config = withDefaultHost(mode, configured, env);
  const jwt = mode === "work" ? null : await resolveJwt(config);
  const booted = await boot(config, { ...(mode === "start" ? { migrate: true } : {}), env });
  const { platform, lifecycle, logger } = booted;
  lifecycle.onStop("telemetry", "resources", () => telemetry.shutdown());
  lifecycle.exitOnSignals();

  let workerRoutes: Awaited<ReturnType<typeof startWorkerHost>>["routes"] | undefined;
  if (mode !== "serve") {
    const { worker, routes } = await startWorkerHost(platform, lifecycle, { listen: mode === "work" });
    workerRoutes = routes;
    await wakeOnOutboxNotify(platform, () => worker.wake(), lifecycle);
  }
  // Ready-made tokens (the banner's, the console's demo identities) are a convenience of the embedded dev platform
  // only: on a server database they would land in a cloud's logs or reach anyone who can open /app/.
  const devSecret = jwt !== null && jwt.jwt.kind === "secret" && isEmbedded(config) ? jwt.jwt.secret : null;
  let url: string | null = null;
  let consoleUrl: string | null = null;
  if (jwt !== null) {
    const served = await startHttpHost(platform, lifecycle, jwt.jwt, {
      ...(workerRoutes === undefined ? {} : { routes: workerRoutes }),
      ...(consoleEnabled(mode, config) ? { console: await consoleOptions(config, devSecret) } : {}),
    });
    url = served.url;
    consoleUrl = served.consoleUrl;
  }
  lifecycle.markReady();
  logger.info("tiffin ready", { mode, url, console: consoleUrl, database: config.database.kind, broker: config.broker.kind, kitchen: config.kitchen });
  if (url !== null && jwt !== null && devSecret !== null) {
    await printBanner({ url, consoleUrl, secret: devSecret, secretNote: jwt.generated ? `generated a dev JWT secret and stored it in ${jwt.storedAt}` : jwt.storedAt === undefined ? null : `dev JWT secret read from ${jwt.storedAt}`, config });
  }
}

/** How the console signs people in: the embedded platform's demo identities, an identity provider, a pasted token. */
async function consoleOptions(config: Config, devSecret: string | null): Promise<ConsoleOptions> {
  return {
    ...(devSecret === null ? {} : { identities: await demoIdentities(devSecret) }),
    ...(config.consoleOidc === null ? {} : { oidc: config.consoleOidc }),
  };
}

/** The web console is served with `tiffin start` unless TIFFIN_CONSOLE=off, and with `serve` when TIFFIN_CONSOLE=on. */
export function consoleEnabled(mode: HostMode, config: Config): boolean {
  return mode !== "work" && (config.console === "on" || (config.console === "auto" && mode === "start"));
}

/**
 * `tiffin start` is the laptop platform: it listens on loopback unless TIFFIN_HOST says otherwise. `serve` and `work`
 * run in containers, where the platform's router must reach them, so they keep the configured host (0.0.0.0).
 */
export function withDefaultHost(mode: HostMode, config: Config, env: Env): Config {
  return mode === "start" && (env.TIFFIN_HOST ?? "").trim() === "" ? { ...config, host: "127.0.0.1" } : config;
}

/** The relay sleeps between polls; a NOTIFY from an outbox append wakes it at once (Postgres and PGlite). */
async function wakeOnOutboxNotify(
  platform: Platform,
  wake: () => void,
  lifecycle: Lifecycle,
): Promise<void> {
  const database = platform.database;
  if (database === null) return;
  const { outboxChannel } = await import("@tiffin/adapters-postgres");
  const unlisten = await database.listen(outboxChannel(database.schema), wake);
  lifecycle.onStop("outbox listener", "work", unlisten);
}
