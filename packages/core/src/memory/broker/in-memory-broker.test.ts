import { describeBrokerContract } from "../../testing/broker/index.js";
import { InMemoryBroker } from "./in-memory-broker.js";

describeBrokerContract(
  "in-memory",
  async () => {
    const broker = new InMemoryBroker();
    return {
      publisher: broker,
      subscriber: broker,
      deadLetters: broker,
      depth: broker,
      publishRaw: (topic, message) => broker.publishRaw(topic, message),
      // State lives in the broker object; a closed broker subscribes again like a restarted process.
      restart: async () => ({ subscriber: broker }),
      close: () => broker.close(),
    };
  },
  {
    persistent: true,
    orderingKeys: true,
    backoff: true,
    replay: true,
    maxPayloadBytes: Number.POSITIVE_INFINITY,
    queueDepth: true,
    minRetryDelayMs: 40,
  },
);
