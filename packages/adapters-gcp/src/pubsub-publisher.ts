import type { PubSub, Topic } from "@google-cloud/pubsub";
import { encodeCloudEvent } from "@tiffin/core";
import type { CloudEvent, EncodedMessage, MessagePublisher } from "@tiffin/core";
import { pubsubFault } from "./gcp-errors.js";
import { toPubSubMessage } from "./message-attributes.js";
import type { PubSubTopology } from "./topology.js";

/**
 * Publishes CloudEvents to a Pub/Sub topic: attributes as Pub/Sub attributes, the order id (`subject`) as the
 * ordering key, so each order's events are accepted and delivered in sequence. `publish` resolves once the service
 * has accepted every message. After a failed publish the client pauses that ordering key; it is resumed here, so
 * the relay's retry publishes it again.
 */
export class PubSubPublisher implements MessagePublisher {
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
    throw pubsubFault(`publish ${failed.length} of ${messages.length} messages to ${client.name}`, failed[0]?.error);
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
