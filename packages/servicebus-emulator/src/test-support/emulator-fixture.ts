import { randomUUID } from "node:crypto";
import { ServiceBusClient } from "@azure/service-bus";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { SubscriptionConfig, TopicConfig } from "../config.js";
import { startServiceBusEmulator, type ServiceBusEmulator } from "../emulator.js";

/** Starts one emulator for a test file and gives each test real SDK clients that are closed after it. */
export function useEmulator(): {
  emulator(): ServiceBusEmulator;
  /** A client with short operation timeouts (`timeoutInMs` is also how long a session receiver waits). */
  client(retry?: { timeoutInMs?: number }): ServiceBusClient;
  /** A topic with a unique name and these subscriptions (lock durations short enough for tests). */
  topic(subscriptions: readonly SubscriptionConfig[], properties?: TopicConfig["Properties"]): string;
} {
  let running: ServiceBusEmulator | undefined;
  const clients: ServiceBusClient[] = [];
  beforeAll(async () => {
    running = await startServiceBusEmulator();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close()));
  });
  afterAll(async () => {
    await running?.close();
  });
  const emulator = (): ServiceBusEmulator => {
    if (running === undefined) throw new Error("the emulator is not running");
    return running;
  };
  return {
    emulator,
    client: (retry = {}) => {
      const retryOptions = { maxRetries: 1, timeoutInMs: retry.timeoutInMs ?? 10_000 };
      const client = new ServiceBusClient(emulator().connectionString, { retryOptions });
      clients.push(client);
      return client;
    },
    topic: (subscriptions, properties) => {
      const name = `t-${randomUUID()}`;
      emulator().apply({
        UserConfig: { Namespaces: [{ Name: "emulator", Topics: [{ Name: name, ...(properties ? { Properties: properties } : {}), Subscriptions: subscriptions }] }] },
      });
      return name;
    },
  };
}
