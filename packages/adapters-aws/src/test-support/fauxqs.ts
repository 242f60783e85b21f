import { startFauxqs, type FauxqsServer } from "fauxqs";
import { afterAll, beforeAll } from "vitest";
import type { BrokerFactory } from "@tiffin/core/testing";
import { AwsBroker } from "../aws-broker.js";
import type { AwsBrokerConfig } from "../aws-config.js";

/** Starts fauxqs in this test file's process for its tests; `server()` is valid inside tests. */
export function useFauxqs(): { server(): FauxqsServer; config(overrides?: Partial<AwsBrokerConfig>): AwsBrokerConfig } {
  // fauxqs accepts any credentials; the SDK's default chain finds these.
  process.env.AWS_ACCESS_KEY_ID ??= "fauxqs";
  process.env.AWS_SECRET_ACCESS_KEY ??= "fauxqs";
  let running: FauxqsServer | undefined;
  beforeAll(async () => {
    running = await startFauxqs({ port: 0, logger: false });
  });
  afterAll(async () => {
    await running?.stop();
  });
  const server = (): FauxqsServer => {
    if (running === undefined) throw new Error("fauxqs is not running");
    return running;
  };
  return {
    server,
    config: (overrides = {}) => ({
      region: "us-east-1",
      endpoint: server().address,
      createTopology: true,
      // Short polls and leases keep close() and redelivery after a lost lease quick in tests.
      waitTimeSeconds: 1,
      visibilityTimeoutSeconds: 5,
      ...overrides,
    }),
  };
}

/** The broker contract's factory for an AwsBroker on fauxqs. */
export function awsBrokerFactory(config: () => AwsBrokerConfig): BrokerFactory {
  return async () => {
    const broker = new AwsBroker(config());
    return {
      publisher: broker.publisher,
      subscriber: broker.subscriber,
      deadLetters: broker.deadLetters,
      depth: broker.subscriber,
      publishRaw: (topic, message) => broker.publisher.publishEncoded(topic, [message]),
      restart: async () => ({ subscriber: broker.newSubscriber() }),
      close: () => broker.close(),
    };
  };
}

/** What SNS/SQS guarantee in both modes; `orderingKeys` differs between standard and FIFO. */
export const SNS_SQS_FEATURES = {
  persistent: true,
  backoff: true,
  replay: true,
  // SNS's 256 KiB counts each attribute's name, type and value; up to 256 bytes go to types and packing.
  maxPayloadBytes: 262_144 - 256,
  queueDepth: true,
  // Backoff is ChangeMessageVisibility in whole seconds.
  minRetryDelayMs: 1_000,
  deliveryTimeoutMs: 20_000,
} as const;
