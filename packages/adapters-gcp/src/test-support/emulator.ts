import { startPubSubEmulator, type PubSubEmulator, type PubSubEmulatorOptions } from "@tiffin/pubsub-emulator";
import type { BrokerFactory } from "@tiffin/core/testing";
import { afterAll, beforeAll } from "vitest";
import { GcpBroker } from "../gcp-broker.js";
import type { GcpBrokerConfig } from "../gcp-config.js";

// The emulator needs no credentials; keep google-auth-library from probing the GCE metadata server.
process.env.METADATA_SERVER_DETECTION = "none";

export const TEST_PROJECT = "tiffin-test";

/** Starts the in-repo Pub/Sub emulator for this test file; `config()` is valid inside tests. */
export function usePubSubEmulator(options: PubSubEmulatorOptions = {}): {
  emulator(): PubSubEmulator;
  config(overrides?: Partial<GcpBrokerConfig>): GcpBrokerConfig;
} {
  let running: PubSubEmulator | undefined;
  beforeAll(async () => {
    running = await startPubSubEmulator(options);
  });
  afterAll(async () => {
    await running?.close();
  });
  const emulator = (): PubSubEmulator => {
    if (running === undefined) throw new Error("the Pub/Sub emulator is not running");
    return running;
  };
  return {
    emulator,
    config: (overrides = {}) => ({ projectId: TEST_PROJECT, emulatorHost: emulator().host, createTopology: true, ...overrides }),
  };
}

/** The broker contract's factory for a GcpBroker on the emulator. */
export function gcpBrokerFactory(config: () => GcpBrokerConfig): BrokerFactory {
  return async () => {
    const broker = new GcpBroker(config());
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

/** What Pub/Sub guarantees, as this adapter uses it. */
export const PUBSUB_FEATURES = {
  persistent: true,
  // Every subscription orders by the CloudEvents subject (the order id).
  orderingKeys: true,
  backoff: true,
  replay: true,
  // 10 MB per message; the contract carries at most 256 KiB.
  maxPayloadBytes: 10 * 1024 * 1024,
  // Backlog is only reported by Cloud Monitoring, which no emulator serves.
  queueDepth: false,
  // ModifyAckDeadline takes whole seconds.
  minRetryDelayMs: 1_000,
  deliveryTimeoutMs: 20_000,
} as const;
