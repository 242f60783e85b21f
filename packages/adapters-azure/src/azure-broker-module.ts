import { ContainerModule } from "inversify";
import { type BrokerFactoryContext, type BrokerTopology, type Env, TOKENS } from "@tiffin/core";
import type { Logger } from "@tiffin/core";
import { AzureBroker } from "./azure-broker.js";
import { azureBrokerConfigFromEnv, type AzureBrokerConfig } from "./azure-config.js";

/** Token of the AzureBroker itself, for hosts that need more than the ports. */
export const AZURE_BROKER = Symbol.for("tiffin.azure.AzureBroker");

/**
 * Binds the Service Bus broker to the messaging ports; the runtime loads it when `TIFFIN_BROKER=azure`. The broker
 * is a singleton built on first use with the container's Logger (if bound) and closed when the container unbinds it.
 */
export function azureBrokerModule(config: AzureBrokerConfig): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind<AzureBroker>(AZURE_BROKER)
      .toDynamicValue((context) => {
        const logger = context.get<Logger>(TOKENS.Logger, { optional: true });
        return new AzureBroker(config, logger === undefined ? {} : { logger });
      })
      .inSingletonScope()
      .onDeactivation((broker) => broker.close());
    bind(TOKENS.MessagePublisher).toDynamicValue((context) => context.get<AzureBroker>(AZURE_BROKER).publisher);
    bind(TOKENS.MessageSubscriber).toDynamicValue((context) => context.get<AzureBroker>(AZURE_BROKER).subscriber);
    bind(TOKENS.DeadLetters).toDynamicValue((context) => context.get<AzureBroker>(AZURE_BROKER).deadLetters);
    bind<BrokerTopology>(TOKENS.BrokerTopology).toDynamicValue((context) => context.get<AzureBroker>(AZURE_BROKER));
  });
}

/**
 * The adapter factory for `TIFFIN_BROKER=azure`: reads and validates this package's variables (see its README) at once,
 * throwing ConfigError naming the first bad one, and returns the module binding the broker.
 */
export function brokerModule(env: Env, context: BrokerFactoryContext): ContainerModule {
  return azureBrokerModule(azureBrokerConfigFromEnv(env, context));
}
