import {
  type BrokerFactoryContext,
  ConfigError,
  type Env,
  InfrastructureError,
  InfrastructureErrorCode,
  ORDER_EVENTS_TOPIC,
  createTopologyFromEnv,
  flag,
  optional,
  required,
  url,
} from "@tiffin/core";

/** How the SNS/SQS broker reaches AWS. Credentials always come from the SDK's default provider chain. */
export interface AwsBrokerConfig {
  readonly region: string;
  /** An emulator such as fauxqs (`AWS_ENDPOINT_URL`); absent for AWS itself. */
  readonly endpoint?: string;
  /** The SNS topic ARN of each logical topic. A topic missing here is created only when `createTopology` is on. */
  readonly topicArns?: Readonly<Record<string, string>>;
  /** Queues are `${queuePrefix}${subscription}` and `${queuePrefix}${subscription}-dlq` (default "tiffin-"). */
  readonly queuePrefix?: string;
  /** FIFO topic and queues: per-subject ordering, 300 messages/s per group (default false). */
  readonly fifo?: boolean;
  /** Create missing topics, queues, dead-letter queues and subscriptions on first use (development, tests). */
  readonly createTopology?: boolean;
  /** Long-poll wait, 0..20 s (default 20). `close` may wait this long for an open poll. */
  readonly waitTimeSeconds?: number;
  /** Lease on a received message, extended while its handler runs (default 30 s). */
  readonly visibilityTimeoutSeconds?: number;
}

export type ResolvedAwsBrokerConfig = Required<Omit<AwsBrokerConfig, "endpoint">> & { readonly endpoint?: string };

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const QUEUE_PREFIX = /^[A-Za-z0-9_-]{0,40}$/;

const REGION_MISSING = "AWS_REGION is required for the AWS broker (e.g. eu-west-1)";

const misconfigured = (message: string): InfrastructureError =>
  new InfrastructureError(InfrastructureErrorCode.Misconfigured, message, { transient: false });

/** Applies defaults and validates up front, naming the variable to fix. Throws INFRA_MISCONFIGURED. */
export function resolveAwsBrokerConfig(config: AwsBrokerConfig): ResolvedAwsBrokerConfig {
  if (!config.region) throw misconfigured(REGION_MISSING);
  if (config.endpoint !== undefined && !URL.canParse(config.endpoint)) {
    throw misconfigured(`AWS_ENDPOINT_URL must be a URL; got "${config.endpoint}"`);
  }
  const resolved = {
    region: config.region,
    ...(config.endpoint === undefined ? {} : { endpoint: config.endpoint }),
    topicArns: config.topicArns ?? {},
    queuePrefix: config.queuePrefix ?? "tiffin-",
    fifo: config.fifo ?? false,
    createTopology: config.createTopology ?? false,
    waitTimeSeconds: config.waitTimeSeconds ?? 20,
    visibilityTimeoutSeconds: config.visibilityTimeoutSeconds ?? 30,
  };
  for (const [topic, arn] of Object.entries(resolved.topicArns)) {
    if (!TOPIC_ARN.test(arn)) throw misconfigured(`TIFFIN_SNS_TOPIC_ARN for topic "${topic}" is not an SNS topic ARN: "${arn}"`);
    if (arn.endsWith(".fifo") !== resolved.fifo) {
      throw misconfigured(`TIFFIN_SNS_TOPIC_ARN "${arn}" ${resolved.fifo ? "must" : "must not"} be a FIFO topic (TIFFIN_AWS_FIFO)`);
    }
  }
  if (!QUEUE_PREFIX.test(resolved.queuePrefix)) {
    throw misconfigured("TIFFIN_SQS_QUEUE_PREFIX may hold up to 40 letters, digits, '-' or '_'");
  }
  if (!Number.isInteger(resolved.waitTimeSeconds) || resolved.waitTimeSeconds < 0 || resolved.waitTimeSeconds > 20) {
    throw misconfigured("waitTimeSeconds must be an integer in 0..20");
  }
  const visibility = resolved.visibilityTimeoutSeconds;
  if (!Number.isInteger(visibility) || visibility < 2 || visibility > 43_200) {
    throw misconfigured("visibilityTimeoutSeconds must be an integer in 2..43200");
  }
  return resolved;
}

/** The SNS topic ARN (`TIFFIN_SNS_TOPIC_ARN`), or undefined; a malformed one names the variable. */
export function snsTopicArnFromEnv(env: Env): string | undefined {
  const topicArn = optional(env, "TIFFIN_SNS_TOPIC_ARN");
  if (topicArn !== undefined && !TOPIC_ARN.test(topicArn)) {
    throw new ConfigError("TIFFIN_SNS_TOPIC_ARN", "must be an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>)");
  }
  return topicArn;
}

/**
 * Reads the broker config from the environment (every variable is in the package README): `AWS_REGION`,
 * `AWS_ENDPOINT_URL`, `TIFFIN_SNS_TOPIC_ARN` (the order-events topic), `TIFFIN_SQS_QUEUE_PREFIX`, `TIFFIN_AWS_FIFO`,
 * `TIFFIN_CREATE_TOPOLOGY` (default true only against an emulator endpoint or in embedded development). Without
 * topology creation the topic ARN is required. Throws ConfigError naming the first bad variable.
 */
export function awsBrokerConfigFromEnv(
  env: Env,
  context: BrokerFactoryContext = { development: false },
  orderEventsTopic: string = ORDER_EVENTS_TOPIC,
): ResolvedAwsBrokerConfig {
  const region = required(env, "AWS_REGION", "for the AWS broker (e.g. eu-west-1)");
  const endpoint = url(env, "AWS_ENDPOINT_URL", ["http", "https"]);
  const topicArn = snsTopicArnFromEnv(env);
  const createTopology = createTopologyFromEnv(env, { ...context, emulator: endpoint !== undefined });
  if (topicArn === undefined && !createTopology) {
    throw new ConfigError("TIFFIN_SNS_TOPIC_ARN", "is required for the AWS broker (create the topic with `tiffin topology`, or set TIFFIN_CREATE_TOPOLOGY=true)");
  }
  const fifo = flag(env, "TIFFIN_AWS_FIFO", topicArn?.endsWith(".fifo") ?? false);
  if (topicArn !== undefined && topicArn.endsWith(".fifo") !== fifo) {
    throw new ConfigError("TIFFIN_SNS_TOPIC_ARN", `${fifo ? "must" : "must not"} be a FIFO topic (TIFFIN_AWS_FIFO=${fifo})`);
  }
  const queuePrefix = optional(env, "TIFFIN_SQS_QUEUE_PREFIX");
  if (queuePrefix !== undefined && !QUEUE_PREFIX.test(queuePrefix)) {
    throw new ConfigError("TIFFIN_SQS_QUEUE_PREFIX", "may hold up to 40 letters, digits, '-' or '_'");
  }
  return resolveAwsBrokerConfig({
    region,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(topicArn === undefined ? {} : { topicArns: { [orderEventsTopic]: topicArn } }),
    ...(queuePrefix === undefined ? {} : { queuePrefix }),
    fifo,
    createTopology,
  });
}
