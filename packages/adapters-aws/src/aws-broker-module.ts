import { ContainerModule } from "inversify";
import { TOKENS } from "@tiffin/core";
import type { Logger } from "@tiffin/core";
import { AwsBroker } from "./aws-broker.js";
import type { AwsBrokerConfig } from "./aws-config.js";

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
  });
}
