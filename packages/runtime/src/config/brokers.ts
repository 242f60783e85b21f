import type { BrokerFactoryContext, Env, PushReceiver, PushReceiverContext } from "@tiffin/core";
import { ConfigError } from "@tiffin/core";
import type { ContainerModule } from "inversify";

/** Values of `TIFFIN_BROKER`. `memory` is core's in-process broker (tests, demos), bound by the runtime itself. */
export const BROKERS = ["postgres", "memory", "gcp", "aws", "azure"] as const;
export type BrokerKind = (typeof BROKERS)[number];

/**
 * `TIFFIN_BROKER` → the package that implements it. Every package exports the factories of `BrokerPackage`, which
 * read and validate that broker's own variables (listed in its README): the runtime never names a vendor variable.
 */
export const BROKER_PACKAGES: Readonly<Record<Exclude<BrokerKind, "memory">, string>> = {
  postgres: "@tiffin/adapters-postgres",
  gcp: "@tiffin/adapters-gcp",
  aws: "@tiffin/adapters-aws",
  azure: "@tiffin/adapters-azure",
};

/** What a broker adapter package exports for the runtime. */
export interface BrokerPackage {
  /**
   * Binds MessagePublisher, MessageSubscriber, DeadLetters and, where the broker has one, BrokerTopology. Reads and
   * validates the package's variables at once: a bad one throws ConfigError naming it.
   */
  brokerModule(env: Env, context: BrokerFactoryContext): ContainerModule;
  /** For brokers that push over HTTP (`TIFFIN_DELIVERY=push`); validates its variables the same way. */
  pushReceiver?(env: Env, context: PushReceiverContext): PushReceiver;
}

/** Imports the package of `kind`; a package that is not installed is a configuration error naming TIFFIN_BROKER. */
export async function brokerPackage(kind: Exclude<BrokerKind, "memory">): Promise<BrokerPackage> {
  const name = BROKER_PACKAGES[kind];
  let loaded: Partial<BrokerPackage>;
  try {
    loaded = (await import(name)) as Partial<BrokerPackage>;
  } catch (cause) {
    if ((cause as { code?: string }).code === "ERR_MODULE_NOT_FOUND") {
      throw new ConfigError("TIFFIN_BROKER", `is "${kind}" but the adapter package ${name} is not installed`);
    }
    throw cause;
  }
  if (typeof loaded.brokerModule !== "function") throw new Error(`${name} exports no brokerModule(env, context)`);
  return loaded as BrokerPackage;
}
