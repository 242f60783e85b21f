import {
  type BrokerFactoryContext,
  ConfigError,
  type Env,
  InfrastructureError,
  InfrastructureErrorCode,
  ORDER_EVENTS_TOPIC,
  createTopologyFromEnv,
  hostPort,
  optional,
  required,
} from "@tiffin/core";

/** How the Pub/Sub broker reaches Google Cloud. Credentials come from Application Default Credentials. */
export interface GcpBrokerConfig {
  readonly projectId: string;
  /** `host:port` of an emulator (`PUBSUB_EMULATOR_HOST`); absent for Google Cloud itself. */
  readonly emulatorHost?: string;
  /** The Pub/Sub topic id of each logical topic (default: the logical name, e.g. `tiffin.order-events`). */
  readonly topicIds?: Readonly<Record<string, string>>;
  /**
   * Subscriptions are `${prefix}${subscription}`; each has a dead-letter topic and pull subscription
   * `${prefix}${subscription}-dead-letters` (default "tiffin-").
   */
  readonly subscriptionPrefix?: string;
  /** Create missing topics and subscriptions on first use (default: only against an emulator). */
  readonly createTopology?: boolean;
}

export type ResolvedGcpBrokerConfig = Required<Omit<GcpBrokerConfig, "emulatorHost">> & { readonly emulatorHost?: string };

// Project ids: 6-30 lowercase letters, digits or hyphens, starting with a letter (legacy domain-scoped ids too).
const PROJECT_ID = /^([a-z][a-z0-9.-]*:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const RESOURCE_ID = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;
const PREFIX = /^[A-Za-z0-9\-_.~+%]{0,40}$/;
const HOST_PORT = /^[A-Za-z0-9.-]+:\d{1,5}$/;

const misconfigured = (message: string): InfrastructureError =>
  new InfrastructureError(InfrastructureErrorCode.Misconfigured, message, { transient: false });

/** Applies defaults and validates up front, naming the variable to fix. Throws INFRA_MISCONFIGURED. */
export function resolveGcpBrokerConfig(config: GcpBrokerConfig): ResolvedGcpBrokerConfig {
  if (!config.projectId) throw misconfigured("GOOGLE_CLOUD_PROJECT is required for the GCP broker");
  if (!PROJECT_ID.test(config.projectId)) throw misconfigured(`GOOGLE_CLOUD_PROJECT is not a project id: "${config.projectId}"`);
  if (config.emulatorHost !== undefined && !HOST_PORT.test(config.emulatorHost)) {
    throw misconfigured(`PUBSUB_EMULATOR_HOST must be host:port; got "${config.emulatorHost}"`);
  }
  const resolved = {
    projectId: config.projectId,
    ...(config.emulatorHost === undefined ? {} : { emulatorHost: config.emulatorHost }),
    topicIds: config.topicIds ?? {},
    subscriptionPrefix: config.subscriptionPrefix ?? "tiffin-",
    // Against an emulator everything is created on first use; against Google Cloud nothing unless told.
    createTopology: config.createTopology ?? config.emulatorHost !== undefined,
  };
  for (const [topic, id] of Object.entries(resolved.topicIds)) {
    if (!RESOURCE_ID.test(id)) throw misconfigured(`TIFFIN_PUBSUB_TOPIC for topic "${topic}" is not a Pub/Sub topic id: "${id}"`);
  }
  if (!PREFIX.test(resolved.subscriptionPrefix)) {
    throw misconfigured("TIFFIN_PUBSUB_SUBSCRIPTION_PREFIX may hold up to 40 letters, digits or -_.~+%");
  }
  return resolved;
}

/**
 * Reads the broker config from the environment (every variable is in the package README): `GOOGLE_CLOUD_PROJECT`,
 * `PUBSUB_EMULATOR_HOST`, `TIFFIN_PUBSUB_TOPIC` (the order-events topic id), `TIFFIN_PUBSUB_SUBSCRIPTION_PREFIX`,
 * `TIFFIN_CREATE_TOPOLOGY` (default true only against an emulator or in embedded development). Throws ConfigError
 * naming the first bad variable.
 */
export function gcpBrokerConfigFromEnv(
  env: Env,
  context: BrokerFactoryContext = { development: false },
  orderEventsTopic: string = ORDER_EVENTS_TOPIC,
): ResolvedGcpBrokerConfig {
  const projectId = required(env, "GOOGLE_CLOUD_PROJECT", "for the GCP broker");
  if (!PROJECT_ID.test(projectId)) throw new ConfigError("GOOGLE_CLOUD_PROJECT", `is not a project id: "${projectId}"`);
  const emulatorHost = hostPort(env, "PUBSUB_EMULATOR_HOST");
  const createTopology = createTopologyFromEnv(env, { ...context, emulator: emulatorHost !== undefined });
  const topicId = optional(env, "TIFFIN_PUBSUB_TOPIC");
  if (topicId !== undefined && !RESOURCE_ID.test(topicId)) throw new ConfigError("TIFFIN_PUBSUB_TOPIC", `is not a Pub/Sub topic id: "${topicId}"`);
  // An empty prefix is allowed (set and blank): subscriptions are then named as the Tiffin subscriptions.
  const prefix = env.TIFFIN_PUBSUB_SUBSCRIPTION_PREFIX?.trim();
  if (prefix !== undefined && !PREFIX.test(prefix)) {
    throw new ConfigError("TIFFIN_PUBSUB_SUBSCRIPTION_PREFIX", "may hold up to 40 letters, digits or -_.~+%");
  }
  return resolveGcpBrokerConfig({
    projectId,
    ...(emulatorHost === undefined ? {} : { emulatorHost }),
    ...(topicId === undefined ? {} : { topicIds: { [orderEventsTopic]: topicId } }),
    ...(prefix === undefined ? {} : { subscriptionPrefix: prefix }),
    createTopology,
  });
}
