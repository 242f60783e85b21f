import { startServiceBusEmulator, type RuleConfig, type ServiceBusEmulator, type TopicConfig } from "@tiffin/servicebus-emulator";
import { afterAll, beforeAll } from "vitest";
import type { BrokerFactory } from "@tiffin/core/testing";
import { AzureBroker, type AzureBrokerDeps } from "../azure-broker.js";
import type { AzureBrokerConfig } from "../azure-config.js";
import { isoDuration, type SubscriptionDescription, type TopologyProvisioner } from "../topology.js";

/** The emulator's `Config.json` entry for a subscription the adapter describes: the same rules the template creates. */
export function emulatorTopic(description: SubscriptionDescription): TopicConfig {
  const rules: RuleConfig[] = description.rules.map((rule) =>
    "sql" in rule
      ? { Name: rule.name, Properties: { FilterType: "Sql", SqlFilter: { SqlExpression: rule.sql } } }
      : {
          Name: rule.name,
          Properties: {
            FilterType: "Correlation",
            CorrelationFilter: {
              ...(rule.correlation.subject === undefined ? {} : { Label: rule.correlation.subject }),
              ...(rule.correlation.applicationProperties === undefined ? {} : { Properties: rule.correlation.applicationProperties }),
            },
          },
        },
  );
  return {
    Name: description.topic,
    Properties: { RequiresDuplicateDetection: true, DuplicateDetectionHistoryTimeWindow: "PT10M" },
    Subscriptions: [
      {
        Name: description.name,
        Properties: { RequiresSession: true, MaxDeliveryCount: description.maxDeliveryCount, LockDuration: isoDuration(description.lockDurationMs) },
        Rules: rules,
      },
    ],
  };
}

/** Creates subscriptions in the emulator from the adapter's descriptions, keeping the topic's other subscriptions. */
export function emulatorProvisioner(emulator: () => ServiceBusEmulator): TopologyProvisioner {
  const topics = new Map<string, TopicConfig>();
  return {
    ensureSubscription: async (description) => {
      const entry = emulatorTopic(description);
      const known = topics.get(description.topic);
      const existing = known?.Subscriptions?.filter((s) => s.Name !== description.name) ?? [];
      if (known?.Subscriptions?.some((s) => s.Name === description.name)) return;
      const topic = { ...entry, Subscriptions: [...existing, ...(entry.Subscriptions ?? [])] };
      topics.set(description.topic, topic);
      emulator().apply({ UserConfig: { Namespaces: [{ Name: "tiffin", Topics: [topic] }] } });
    },
  };
}

/** Starts the emulator in this test file's process; `config()` is valid inside tests. */
export function useServiceBusEmulator(): {
  emulator(): ServiceBusEmulator;
  provisioner: TopologyProvisioner;
  config(overrides?: Partial<AzureBrokerConfig>): AzureBrokerConfig;
} {
  let running: ServiceBusEmulator | undefined;
  beforeAll(async () => {
    running = await startServiceBusEmulator();
  });
  afterAll(async () => {
    await running?.close();
  });
  const emulator = (): ServiceBusEmulator => {
    if (running === undefined) throw new Error("the Service Bus emulator is not running");
    return running;
  };
  return {
    emulator,
    provisioner: emulatorProvisioner(emulator),
    config: (overrides = {}) => ({
      connectionString: emulator().connectionString,
      // Short waits keep idle sessions and close() quick in tests; the lock stays long enough for a loaded machine.
      lockDurationMs: 10_000,
      sessionIdleMs: 50,
      sessionWaitMs: 2_000,
      ...overrides,
    }),
  };
}

/** The broker contract's factory for an AzureBroker on the emulator. */
export function azureBrokerFactory(config: () => AzureBrokerConfig, deps: AzureBrokerDeps): BrokerFactory {
  return async () => {
    const broker = new AzureBroker(config(), deps);
    return {
      publisher: broker.publisher,
      subscriber: broker.subscriber,
      deadLetters: broker.deadLetters,
      publishRaw: (topic, message) => broker.publisher.publishEncoded(topic, [message]),
      restart: async () => ({ subscriber: broker.newSubscriber() }),
      close: () => broker.close(),
    };
  };
}
