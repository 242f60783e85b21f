import { randomUUID } from "node:crypto";
import { credentials } from "@grpc/grpc-js";
import { PubSub, v1, type Message, type Subscription } from "@google-cloud/pubsub";
import { afterAll, beforeAll } from "vitest";
import { startPubSubEmulator, type PubSubEmulator, type PubSubEmulatorOptions } from "../pubsub-emulator.js";

// The emulator needs no credentials; keep google-auth-library from probing the GCE metadata server.
process.env.METADATA_SERVER_DETECTION = "none";

export const PROJECT = "tiffin-emulator-test";

export interface EmulatorClients {
  readonly emulator: PubSubEmulator;
  /** The client library's high-level API, as an application uses it. */
  readonly pubsub: PubSub;
  /** The generated v1 client, for Pull, ModifyAckDeadline and errors the high-level API hides. */
  readonly subscriber: v1.SubscriberClient;
  readonly publisher: v1.PublisherClient;
}

/** Starts one emulator for the file and real clients pointed at it. */
export function useEmulator(options: PubSubEmulatorOptions = {}): () => EmulatorClients {
  let clients: EmulatorClients | undefined;
  beforeAll(async () => {
    const emulator = await startPubSubEmulator(options);
    const gapic = { servicePath: "127.0.0.1", port: emulator.port, sslCreds: credentials.createInsecure(), projectId: PROJECT };
    clients = {
      emulator,
      pubsub: new PubSub({ apiEndpoint: emulator.host, projectId: PROJECT }),
      subscriber: new v1.SubscriberClient(gapic),
      publisher: new v1.PublisherClient(gapic),
    };
  });
  afterAll(async () => {
    if (clients === undefined) return;
    await Promise.all([clients.pubsub.close(), clients.subscriber.close(), clients.publisher.close()]);
    await clients.emulator.close();
  });
  return () => {
    if (clients === undefined) throw new Error("emulator not started");
    return clients;
  };
}

export const unique = (prefix: string): string => `${prefix}-${randomUUID()}`;
export const topicPath = (id: string): string => `projects/${PROJECT}/topics/${id}`;
export const subscriptionPath = (id: string): string => `projects/${PROJECT}/subscriptions/${id}`;

/** Collects messages from a high-level subscription; `settle` decides ack or nack per message. */
export function collect(subscription: Subscription, settle: (message: Message) => "ack" | "nack" | "hold" = () => "ack"): Message[] {
  const received: Message[] = [];
  subscription.on("message", (message: Message) => {
    received.push(message);
    const verdict = settle(message);
    if (verdict === "ack") message.ack();
    else if (verdict === "nack") message.nack();
  });
  subscription.on("error", () => undefined);
  return received;
}

/** Polls a condition until true or fails after `timeoutMs` naming what it waited for. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
