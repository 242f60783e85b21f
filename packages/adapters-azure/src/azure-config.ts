import {
  type BrokerFactoryContext,
  ConfigError,
  type Env,
  InfrastructureError,
  InfrastructureErrorCode,
  ORDER_EVENTS_TOPIC,
  createTopologyFromEnv,
  optional,
} from "@tiffin/core";

/**
 * How the Service Bus broker reaches its namespace: a connection string (development, the emulator, tests) or a
 * namespace host name with `DefaultAzureCredential` (production: managed identity on Container Apps).
 */
export interface AzureBrokerConfig {
  /** `SERVICEBUS_CONNECTION_STRING`; wins over `fullyQualifiedNamespace`. */
  readonly connectionString?: string;
  /** `SERVICEBUS_NAMESPACE`, e.g. `tiffin-prod.servicebus.windows.net`, authenticated by `DefaultAzureCredential`. */
  readonly fullyQualifiedNamespace?: string;
  /** Topic whose dead letters `DeadLetters` reads when no local subscribe named it (default the order-events topic). */
  readonly deadLetterTopic?: string;
  /** Create missing topics, subscriptions and rules through the administration API (development only; default false). */
  readonly createTopology?: boolean;
  /** Lock duration of subscriptions this adapter creates (default 60 s, the service's default). */
  readonly lockDurationMs?: number;
  /** How long a session receiver waits for the next message of its session before it lets the session go (default 1 s). */
  readonly sessionIdleMs?: number;
  /** How long one wait for a session with messages may last; the service holds the request up to this (default 60 s). */
  readonly sessionWaitMs?: number;
  /** A session is let go after this long even when busy, so its auto-renewed lock never runs past the SDK's limit (default 5 min). */
  readonly sessionMaxHoldMs?: number;
}

export type ResolvedAzureBrokerConfig = Required<Omit<AzureBrokerConfig, "connectionString" | "fullyQualifiedNamespace">> &
  ({ readonly connectionString: string } | { readonly fullyQualifiedNamespace: string });

const EMULATOR = /UseDevelopmentEmulator=true/i;
const CONNECTION_STRING = /(^|;)\s*Endpoint=sb:\/\/[^;]+/i;
const NAMESPACE_HOST = /^[A-Za-z0-9][A-Za-z0-9-]{4,48}[A-Za-z0-9](\.[A-Za-z0-9-]+)+$/;
const AUTH_MISSING =
  "SERVICEBUS_CONNECTION_STRING or SERVICEBUS_NAMESPACE (with a managed identity) is required for the Azure broker";

const misconfigured = (message: string): InfrastructureError =>
  new InfrastructureError(InfrastructureErrorCode.Misconfigured, message, { transient: false });

/** Applies defaults and validates up front, naming the variable to fix. Throws INFRA_MISCONFIGURED. */
export function resolveAzureBrokerConfig(config: AzureBrokerConfig): ResolvedAzureBrokerConfig {
  const connectionString = config.connectionString?.trim() || undefined;
  const namespace = config.fullyQualifiedNamespace?.trim() || undefined;
  if (connectionString === undefined && namespace === undefined) throw misconfigured(AUTH_MISSING);
  if (connectionString !== undefined && !CONNECTION_STRING.test(connectionString)) {
    throw misconfigured("SERVICEBUS_CONNECTION_STRING must contain Endpoint=sb://<namespace>/ (copy it from the portal or the emulator)");
  }
  if (connectionString === undefined && namespace !== undefined && !NAMESPACE_HOST.test(namespace)) {
    throw misconfigured(`SERVICEBUS_NAMESPACE must be a host name such as tiffin.servicebus.windows.net; got "${namespace}"`);
  }
  const resolved = {
    deadLetterTopic: config.deadLetterTopic ?? ORDER_EVENTS_TOPIC,
    createTopology: config.createTopology ?? false,
    lockDurationMs: config.lockDurationMs ?? 60_000,
    sessionIdleMs: config.sessionIdleMs ?? 1_000,
    sessionWaitMs: config.sessionWaitMs ?? 60_000,
    sessionMaxHoldMs: config.sessionMaxHoldMs ?? 300_000,
  };
  for (const [name, min, max] of [
    ["lockDurationMs", 100, 300_000],
    ["sessionIdleMs", 10, 60_000],
    ["sessionWaitMs", 100, 300_000],
    ["sessionMaxHoldMs", 1_000, 3_600_000],
  ] as const) {
    const value = resolved[name];
    if (!Number.isInteger(value) || value < min || value > max) throw misconfigured(`${name} must be an integer in ${min}..${max} ms`);
  }
  return connectionString === undefined ? { ...resolved, fullyQualifiedNamespace: namespace ?? "" } : { ...resolved, connectionString };
}

/**
 * Reads the broker config from the environment (every variable is in the package README): `SERVICEBUS_CONNECTION_STRING`
 * or `SERVICEBUS_NAMESPACE`, and `TIFFIN_CREATE_TOPOLOGY` (default true only in embedded development against a
 * real namespace: the emulator, like Microsoft's, takes its topology from its configuration and has no administration
 * API). Throws ConfigError naming the first bad variable.
 */
export function azureBrokerConfigFromEnv(env: Env, context: BrokerFactoryContext = { development: false }): ResolvedAzureBrokerConfig {
  const connectionString = optional(env, "SERVICEBUS_CONNECTION_STRING");
  const fullyQualifiedNamespace = optional(env, "SERVICEBUS_NAMESPACE");
  if (connectionString === undefined && fullyQualifiedNamespace === undefined) {
    throw new ConfigError("SERVICEBUS_CONNECTION_STRING", "or SERVICEBUS_NAMESPACE (with a managed identity) is required for the Azure broker");
  }
  if (connectionString !== undefined && !CONNECTION_STRING.test(connectionString)) {
    throw new ConfigError("SERVICEBUS_CONNECTION_STRING", "must contain Endpoint=sb://<namespace>/ (copy it from the portal or the emulator)");
  }
  if (connectionString === undefined && fullyQualifiedNamespace !== undefined && !NAMESPACE_HOST.test(fullyQualifiedNamespace)) {
    throw new ConfigError("SERVICEBUS_NAMESPACE", `must be a host name such as tiffin.servicebus.windows.net; got "${fullyQualifiedNamespace}"`);
  }
  const emulator = connectionString !== undefined && EMULATOR.test(connectionString);
  return resolveAzureBrokerConfig({
    ...(connectionString === undefined ? {} : { connectionString }),
    ...(fullyQualifiedNamespace === undefined ? {} : { fullyQualifiedNamespace }),
    createTopology: createTopologyFromEnv(env, { development: context.development && !emulator, emulator: false }),
  });
}

/** True for a connection string that targets the development emulator (plain AMQP, no administration API). */
export const isEmulator = (config: ResolvedAzureBrokerConfig): boolean =>
  "connectionString" in config && EMULATOR.test(config.connectionString);
