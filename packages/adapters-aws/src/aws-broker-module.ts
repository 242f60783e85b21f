import { ContainerModule } from "inversify";
import { type BrokerFactoryContext, type BrokerTopology, type Env, type PushReceiver, TOKENS, url } from "@tiffin/core";
import type { Logger } from "@tiffin/core";
import { ConfigError } from "@tiffin/core";
import { AwsBroker } from "./aws-broker.js";
import { awsBrokerConfigFromEnv, snsTopicArnFromEnv, type AwsBrokerConfig } from "./aws-config.js";
import { SnsPushReceiver } from "./sns-push/sns-push-receiver.js";

/** Token of the AwsBroker itself, for hosts that need its topology or depth. */
export const AWS_BROKER = Symbol.for("tiffin.aws.AwsBroker");

/**
 * Binds the SNS/SQS broker to the messaging ports; the runtime loads it when `TIFFIN_BROKER=aws`. The broker is
 * a singleton built on first use with the container's Logger (if bound) and closed when the container unbinds it.
 */
export function awsBrokerModule(config: AwsBrokerConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<AwsBroker>(AWS_BROKER)
      .toDynamicValue((context) => {
        const logger = context.get<Logger>(TOKENS.Logger, { optional: true });
        return new AwsBroker(config, logger === undefined ? {} : { logger });
      })
      .inSingletonScope()
      .onDeactivation((broker) => broker.close());
    bind(TOKENS.MessagePublisher).toDynamicValue((context) => context.get<AwsBroker>(AWS_BROKER).publisher);
    bind(TOKENS.MessageSubscriber).toDynamicValue((context) => context.get<AwsBroker>(AWS_BROKER).subscriber);
    bind(TOKENS.DeadLetters).toDynamicValue((context) => context.get<AwsBroker>(AWS_BROKER).deadLetters);
    bind<BrokerTopology>(TOKENS.BrokerTopology).toDynamicValue((context) => context.get<AwsBroker>(AWS_BROKER));
  });
}

/**
 * The adapter factory for `TIFFIN_BROKER=aws`: reads and validates this package's variables (see its README) at once,
 * throwing ConfigError naming the first bad one, and returns the module binding the broker.
 */
export function brokerModule(env: Env, context: BrokerFactoryContext): ContainerModule {
  return awsBrokerModule(awsBrokerConfigFromEnv(env, context));
}

/**
 * SNS HTTPS push for `TIFFIN_DELIVERY=push`: accepts only the topic `TIFFIN_SNS_TOPIC_ARN`, and signing certificates
 * served by SNS (plus `TIFFIN_SNS_TEST_CERT_URL_PREFIX` in tests, refused when NODE_ENV=production).
 */
export function pushReceiver(env: Env): PushReceiver {
  const topicArn = snsTopicArnFromEnv(env);
  if (topicArn === undefined) throw new ConfigError("TIFFIN_SNS_TOPIC_ARN", "is required when TIFFIN_DELIVERY=push and TIFFIN_BROKER=aws");
  const testCertUrlPrefix = url(env, "TIFFIN_SNS_TEST_CERT_URL_PREFIX", ["http", "https"]);
  if (testCertUrlPrefix !== undefined && env.NODE_ENV === "production") {
    throw new ConfigError("TIFFIN_SNS_TEST_CERT_URL_PREFIX", "is for tests only and is refused when NODE_ENV=production");
  }
  return new SnsPushReceiver({ topicArn, ...(testCertUrlPrefix === undefined ? {} : { testCertUrlPrefix }) });
}
