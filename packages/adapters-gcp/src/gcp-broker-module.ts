import { ContainerModule } from "inversify";
import { type BrokerFactoryContext, type BrokerTopology, ConfigError, type Env, type PushReceiver, type PushReceiverContext, TOKENS } from "@tiffin/core";
import type { Logger } from "@tiffin/core";
import { GcpBroker } from "./gcp-broker.js";
import { gcpBrokerConfigFromEnv, type GcpBrokerConfig } from "./gcp-config.js";
import { PubSubPushReceiver } from "./pubsub-push-receiver.js";

/** Token of the GcpBroker itself, for hosts that need its topology or push codec. */
export const GCP_BROKER = Symbol.for("tiffin.gcp.GcpBroker");

/**
 * The adapter factory for `TIFFIN_BROKER=gcp`: reads and validates this package's variables (see its README) at once,
 * throwing ConfigError naming the first bad one, and returns the module binding the broker.
 */
export function brokerModule(env: Env, context: BrokerFactoryContext): ContainerModule {
  return gcpBrokerModule(gcpBrokerConfigFromEnv(env, context));
}

/** Pub/Sub push for `TIFFIN_DELIVERY=push`: tokens for TIFFIN_OIDC_AUDIENCE from the TIFFIN_OIDC_EMAILS accounts. */
export function pushReceiver(_env: Env, context: PushReceiverContext): PushReceiver {
  if (context.oidc === undefined) {
    throw new ConfigError("TIFFIN_OIDC_AUDIENCE", "is required when TIFFIN_DELIVERY=push and TIFFIN_BROKER=gcp (with TIFFIN_OIDC_EMAILS)");
  }
  return new PubSubPushReceiver(context.oidc);
}

/**
 * Binds the Pub/Sub broker to the messaging ports; the runtime loads it when `TIFFIN_BROKER=gcp`. The broker is a
 * singleton built on first use with the container's Logger (if bound) and closed when the container unbinds it.
 */
export function gcpBrokerModule(config: GcpBrokerConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<GcpBroker>(GCP_BROKER)
      .toDynamicValue((context) => {
        const logger = context.get<Logger>(TOKENS.Logger, { optional: true });
        return new GcpBroker(config, logger === undefined ? {} : { logger });
      })
      .inSingletonScope()
      .onDeactivation((broker) => broker.close());
    bind(TOKENS.MessagePublisher).toDynamicValue((context) => context.get<GcpBroker>(GCP_BROKER).publisher);
    bind(TOKENS.MessageSubscriber).toDynamicValue((context) => context.get<GcpBroker>(GCP_BROKER).subscriber);
    bind(TOKENS.DeadLetters).toDynamicValue((context) => context.get<GcpBroker>(GCP_BROKER).deadLetters);
    bind<BrokerTopology>(TOKENS.BrokerTopology).toDynamicValue((context) => context.get<GcpBroker>(GCP_BROKER));
  });
}
