import { type Config, type Env, Lifecycle, Metrics, Platform, createLogger, isConfigError, isEmbedded, loadConfig, resolveLogFormat } from "@tiffin/runtime";
import type { Logger } from "@tiffin/core";
import { optionalFlag } from "./env-flags.js";

/** Exit code of a configuration error (sysexits EX_CONFIG). */
export const EXIT_CONFIG = 78;

/** A started platform with what every command needs around it. */
export interface Booted {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly platform: Platform;
  readonly lifecycle: Lifecycle;
}

/** Thrown to end a command with a message and an exit code, without a stack trace. */
export class CliExit extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** Reads and validates the environment; a bad variable becomes one line naming it. */
export function readConfig(env: Env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (isConfigError(error)) throw new CliExit(`tiffin: configuration error: ${error.message}`, EXIT_CONFIG);
    throw error;
  }
}

/**
 * Opens the platform: adapters, container, and (when `migrate`) pending migrations. In embedded mode the schema is
 * brought up to date unless `migrate` is explicitly false and, unless TIFFIN_DEMO_DATA=false, the demo catalog
 * is seeded.
 */
export async function boot(config: Config, options: { migrate?: boolean; env: Env }): Promise<Booted> {
  // A person at a terminal reads pino-pretty lines; a container's log collector gets one JSON object per line.
  const logger = createLogger({ level: config.logLevel, format: resolveLogFormat(config.logFormat, process.stdout.isTTY === true) });
  const metrics = new Metrics();
  const platform = await Platform.create(config, { logger, metrics });
  const lifecycle = new Lifecycle(logger, config.shutdownGraceMs);
  lifecycle.onStop("platform", "resources", () => platform.close());
  lifecycle.onStop("metrics", "resources", () => metrics.shutdown());
  try {
    if (options.migrate ?? isEmbedded(config)) {
      const applied = await platform.migrate();
      if (applied.length > 0) logger.info("migrations applied", { count: applied.length, last: applied.at(-1) });
    }
    if (optionalFlag(options.env, "TIFFIN_DEMO_DATA") ?? isEmbedded(config)) {
      const { seedDemoData } = await import("@tiffin/runtime");
      await seedDemoData(platform.tiffin);
    }
  } catch (error) {
    await platform.close();
    throw error;
  }
  return { config, logger, metrics, platform, lifecycle };
}
