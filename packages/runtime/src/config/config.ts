import { ConfigError } from "@tiffin/core";
import { type Env, integer, oneOf, optional, url } from "@tiffin/core";
import { LOG_FORMATS } from "../logging/logger.js";
import { type ConsoleOidcConfig, type JwtConfig, consoleOidcConfig, jwtConfig } from "./auth-config.js";
import { BROKERS, type BrokerKind } from "./brokers.js";
import { type FaultSettings, faultSettings } from "./fault-settings-config.js";
import { type PositionsConfig, positionsConfig } from "./positions-config.js";
import { type WorkerEndpointsConfig, workerEndpointsConfig } from "./worker-endpoints-config.js";

export const KITCHEN_MODES = ["manual", "auto"] as const;
export type KitchenMode = (typeof KITCHEN_MODES)[number];

/**
 * How the API verifies bearer tokens. `generate` only in embedded mode: the CLI creates and stores a secret.
 * `missing`: a server database without either variable, which only commands that verify tokens refuse
 * (`serve`, `start`, `token`; see resolveJwt), so a worker or a migration does not need the API's secret.
 */
/** The database: a Postgres server, or PGlite on a local folder when no URL is given (embedded mode). */
export type DatabaseConfig =
  | { readonly kind: "postgres"; readonly url: string; readonly schema?: string; readonly poolSize: number }
  | { readonly kind: "pglite"; readonly dataDir: string };

/**
 * The broker and the environment its adapter package reads its own variables from (validated when the platform
 * loads the package: see brokers.ts).
 */
export interface BrokerConfig {
  readonly kind: BrokerKind;
  readonly env: Env;
}

/** Everything a Tiffin process reads from its environment, validated. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseConfig;
  /** The data folder; PGlite lives in it, and the generated dev JWT secret. */
  readonly dataDir: string;
  readonly broker: BrokerConfig;
  readonly positions: PositionsConfig;
  readonly jwt: JwtConfig;
  readonly otlpEndpoint?: string;
  /** Simulated providers' and auto kitchen's faults, saga stall threshold and recovery cadence (TIFFIN_PAYMENT_*_RATE, ...). */
  readonly faults: FaultSettings;
  readonly kitchen: KitchenMode;
  /** With TIFFIN_KITCHEN=auto: time from acceptance to `ready`. */
  readonly kitchenPrepMs: number;
  /**
   * How long a courier has to accept an offer (TIFFIN_OFFER_TTL_MS): 60 s on the embedded platform, where a person
   * types the banner's commands, 10 s on a server database, where couriers answer from an app.
   */
  readonly offerTtlMs: number;
  /** A ready order no courier took is cancelled `no_courier` this long after its food was ready (TIFFIN_READY_TIMEOUT_MS, default 30 min). */
  readonly readyTimeoutMs: number;
  /** An assigned courier who has not picked up this long after the food was ready loses the order (TIFFIN_PICKUP_TIMEOUT_MS, default 15 min). */
  readonly pickupTimeoutMs: number;
  readonly workerConcurrency: number;
  readonly logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** TIFFIN_LOG_FORMAT: `auto` (pretty in a terminal, JSON otherwise), `json` or `pretty`. */
  readonly logFormat: (typeof LOG_FORMATS)[number];
  /** How long a stopping process waits for in-flight work before it exits anyway. */
  readonly shutdownGraceMs: number;
  readonly bodyLimitBytes: number;
  /** The API publishes each command's events right after its commit, before answering (best effort; the relay still delivers). */
  readonly publishAfterCommit: boolean;
  /** Pull or push delivery, and who may call the worker's task and push endpoints. */
  readonly workerEndpoints: WorkerEndpointsConfig;
  /** TIFFIN_CONSOLE: serve the web console under /app/; `auto` serves it with `tiffin start` only. */
  readonly console: "auto" | "on" | "off";
  /** The console's sign-in with the identity provider; null: demo identities (embedded) and pasted tokens only. */
  readonly consoleOidc: ConsoleOidcConfig | null;
  /**
   * TIFFIN_STREAMS: `notify` (default) has event streams read when the database announces their order changed,
   * with a 5 s safety poll; `poll` has every stream read every 500 ms, for a connection that cannot LISTEN (a
   * transaction-pooling proxy) and for comparison.
   */
  readonly streams: "notify" | "poll";
}

export const isEmbedded = (config: Config): boolean => config.database.kind === "pglite";

/**
 * Reads and validates the configuration. Throws ConfigError naming the first missing or malformed variable.
 * Secrets are never echoed in the message.
 */
export function loadConfig(env: Env): Config {
  const databaseUrl = url(env, "TIFFIN_DATABASE_URL", ["postgres", "postgresql"]);
  const dataDir = optional(env, "TIFFIN_DATA_DIR") ?? "./.tiffin/data";
  const schema = optional(env, "TIFFIN_DATABASE_SCHEMA");
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new ConfigError("TIFFIN_DATABASE_SCHEMA", `must be a lowercase SQL identifier; got "${schema}"`);
  }
  const database: DatabaseConfig =
    databaseUrl === undefined
      ? { kind: "pglite", dataDir }
      : {
          kind: "postgres",
          url: databaseUrl,
          poolSize: integer(env, "TIFFIN_DATABASE_POOL_SIZE", 20, { min: 1, max: 500 }),
          ...(schema === undefined ? {} : { schema }),
        };
  const otlpEndpoint = url(env, "OTEL_EXPORTER_OTLP_ENDPOINT", ["http", "https"]);
  const jwt = jwtConfig(env, database.kind === "pglite");
  return {
    port: integer(env, "PORT", 3000, { min: 0, max: 65_535 }),
    host: optional(env, "TIFFIN_HOST") ?? "0.0.0.0",
    database,
    dataDir,
    broker: brokerConfig(env),
    jwt,
    ...(otlpEndpoint === undefined ? {} : { otlpEndpoint }),
    faults: faultSettings(env),
    kitchen: oneOf(env, "TIFFIN_KITCHEN", KITCHEN_MODES, "manual"),
    positions: positionsConfig(env, database.kind === "pglite"),
    kitchenPrepMs: integer(env, "TIFFIN_KITCHEN_PREP_MS", 15_000, { min: 0, max: 3_600_000 }),
    offerTtlMs: integer(env, "TIFFIN_OFFER_TTL_MS", database.kind === "pglite" ? 60_000 : 10_000, { min: 1000, max: 3_600_000 }),
    readyTimeoutMs: integer(env, "TIFFIN_READY_TIMEOUT_MS", 30 * 60_000, { min: 1000, max: 86_400_000 }),
    pickupTimeoutMs: integer(env, "TIFFIN_PICKUP_TIMEOUT_MS", 15 * 60_000, { min: 1000, max: 86_400_000 }),
    workerConcurrency: integer(env, "TIFFIN_WORKER_CONCURRENCY", 10, { min: 1, max: 1000 }),
    logLevel: oneOf(env, "TIFFIN_LOG_LEVEL", ["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),
    logFormat: oneOf(env, "TIFFIN_LOG_FORMAT", LOG_FORMATS, "auto"),
    shutdownGraceMs: integer(env, "TIFFIN_SHUTDOWN_GRACE_MS", 10_000, { min: 0, max: 600_000 }),
    bodyLimitBytes: integer(env, "TIFFIN_BODY_LIMIT_BYTES", 65_536, { min: 1024, max: 10_485_760 }),
    publishAfterCommit: oneOf(env, "TIFFIN_PUBLISH_AFTER_COMMIT", ["true", "false"], "true") === "true",
    workerEndpoints: workerEndpointsConfig(env),
    console: oneOf(env, "TIFFIN_CONSOLE", ["auto", "on", "off"] as const, "auto"),
    consoleOidc: consoleOidcConfig(env, jwt),
    streams: oneOf(env, "TIFFIN_STREAMS", ["notify", "poll"] as const, "notify"),
  };
}

function brokerConfig(env: Env): BrokerConfig {
  return { kind: oneOf(env, "TIFFIN_BROKER", BROKERS, "postgres"), env: Object.freeze({ ...env }) };
}

