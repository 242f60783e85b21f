import { Buffer } from "node:buffer";
import { status } from "@grpc/grpc-js";
import type { PubSub, Topic } from "@google-cloud/pubsub";
import { MessageRefusedError, encodeCloudEvent } from "@tiffin/core";
import type { CloudEvent, EncodedMessage, MessagePublisher, MessageSizeLimit } from "@tiffin/core";
import { grpcCode, pubsubFault } from "./gcp-errors.js";
import { toPubSubMessage } from "./message-attributes.js";
import type { PubSubTopology } from "./topology.js";

/**
 * Publishes CloudEvents to a Pub/Sub topic: attributes as Pub/Sub attributes, the order id (`subject`) as the
 * ordering key, so each order's events are accepted and delivered in sequence. `publish` resolves once the service
 * has accepted every message. After a failed publish the client pauses that ordering key; it is resumed here, so
 * the relay's retry publishes it again. A message the service refuses (INVALID_ARGUMENT) is reported with
 * `MessageRefusedError`.
 */
/** Pub/Sub's documented limit per message (https://cloud.google.com/pubsub/quotas#resource_limits). */
export const PUBSUB_MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

export class PubSubPublisher implements MessagePublisher, MessageSizeLimit {
  private readonly topics = new Map<string, Topic>();

  constructor(
    private readonly pubsub: PubSub,
    private readonly topology: PubSubTopology,
  ) {}

  publish(topic: string, messages: readonly CloudEvent[]): Promise<void> {
    return this.publishEncoded(topic, messages.map(encodeCloudEvent));
  }

  /** Publishes already-encoded messages (replay, foreign producers in tests). */
  async publishEncoded(topic: string, messages: readonly EncodedMessage[], extra: Readonly<Record<string, string>> = {}): Promise<void> {
    if (messages.length === 0) return;
    const client = await this.topic(topic);
    const results = await Promise.allSettled(messages.map((message) => client.publishMessage(toPubSubMessage(message, extra))));
    const failed = results.flatMap((result, i) => (result.status === "rejected" ? [{ i, error: result.reason as unknown }] : []));
    if (failed.length === 0) return;
    for (const { i } of failed) client.resumePublishing(toPubSubMessage(messages[i] as EncodedMessage).orderingKey);
    const action = `publish ${failed.length} of ${messages.length} messages to ${client.name}`;
    // INVALID_ARGUMENT is the service refusing that message (too large, a bad attribute); a later message of the same
    // ordering key fails too, with another code, and is published on the retry once the refused one is set aside.
    const refused = failed.filter(({ error }) => grpcCode(error) === status.INVALID_ARGUMENT);
    if (refused.length > 0) {
      const ids = refused.map(({ i }) => messages[i]?.attributes.id ?? "");
      throw new MessageRefusedError(ids, `${action} failed: ${refused.map(({ error }) => (error as Error).message).join("; ")}`, { cause: refused[0]?.error });
    }
    throw pubsubFault(action, failed[0]?.error);
  }

  /** The service's limit: 10 MB of data, attribute keys and values, and ordering key. */
  readonly maxMessageBytes = PUBSUB_MAX_MESSAGE_BYTES;

  messageBytes(message: CloudEvent): number {
    const { data, attributes, orderingKey } = toPubSubMessage(encodeCloudEvent(message));
    let size = data.length + Buffer.byteLength(orderingKey);
    for (const [key, value] of Object.entries(attributes)) size += Buffer.byteLength(key) + Buffer.byteLength(value);
    return size;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.topics.values()].map((topic) => topic.flush()));
  }

  private async topic(topic: string): Promise<Topic> {
    let client = this.topics.get(topic);
    if (client === undefined) {
      const name = await this.topology.topicName(topic);
      // Ordering needs the client to send one key's batches one after another; 10 ms batches keep latency low.
      client = this.pubsub.topic(name, { messageOrdering: true, batching: { maxMessages: 100, maxMilliseconds: 10 } });
      this.topics.set(topic, client);
    }
    return client;
  }
}
