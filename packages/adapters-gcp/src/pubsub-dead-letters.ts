import { v1, type PubSub } from "@google-cloud/pubsub";
import { decodeCloudEvent } from "@tiffin/core";
import type { DeadLetter, DeadLetters } from "@tiffin/core";
import { readRecord } from "./dead-letter-record.js";
import { pubsubCall } from "./gcp-errors.js";
import { REPLAY_ATTRIBUTE, toEncodedMessage, toPubSubMessage } from "./message-attributes.js";
import type { PubSubTopology, SubscriptionRef } from "./topology.js";

interface Pulled {
  readonly ackId: string;
  readonly messageId: string;
  readonly data: Buffer;
  readonly attributes: Record<string, string>;
  readonly publishTime: Date;
}

const SCAN_LIMIT = 1_000;
const PULL_BATCH = 100;

/**
 * Dead letters in each subscription's dead-letter topic, read through its pull subscription. Pub/Sub cannot peek,
 * so `list` pulls every dead letter and nacks them all back at once; two scans at the same moment each see part.
 * `replay` publishes the letter to the subscription's topic marked for that subscription only (the others' filters
 * drop it), then acknowledges it in the dead-letter subscription.
 */
export class PubSubDeadLetters implements DeadLetters {
  private readonly client: v1.SubscriberClient;

  constructor(
    private readonly pubsub: PubSub,
    private readonly topology: PubSubTopology,
  ) {
    // The same endpoint, project and credentials as the PubSub client (emulator settings included).
    const { port, ...options } = pubsub.options;
    this.client = new v1.SubscriberClient({ ...options, ...(port === undefined ? {} : { port: Number(port) }) });
  }

  async list(subscription: string, options: { limit?: number } = {}): Promise<DeadLetter[]> {
    const ref = await this.topology.existing(subscription);
    const letters = await this.scan(ref, () => false);
    return letters
      .map((pulled) => toDeadLetter(subscription, pulled))
      .sort((a, b) => a.deadLetteredAt.localeCompare(b.deadLetteredAt))
      .slice(0, options.limit ?? Number.POSITIVE_INFINITY);
  }

  async replay(deadLetterId: string): Promise<boolean> {
    const separator = deadLetterId.lastIndexOf(":");
    if (separator < 0) return false;
    const subscription = deadLetterId.slice(0, separator);
    const messageId = deadLetterId.slice(separator + 1);
    const ref = await this.topology.existing(subscription);
    let found: Pulled | undefined;
    await this.scan(ref, (pulled) => {
      if (found !== undefined || pulled.messageId !== messageId) return false;
      found = pulled;
      return true;
    });
    if (found === undefined) return false;
    const message = toPubSubMessage(toEncodedMessage(found.data, found.attributes), { [REPLAY_ATTRIBUTE]: subscription });
    const topic = this.pubsub.topic(ref.topic, { messageOrdering: true });
    await pubsubCall(`replay to ${ref.topic}`, () => topic.publishMessage(message));
    const ackId = found.ackId;
    await pubsubCall(`acknowledge in ${ref.deadLetterSubscription}`, () =>
      this.client.acknowledge({ subscription: ref.deadLetterSubscription, ackIds: [ackId] }),
    );
    return true;
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Pulls every dead letter; `keep` claims one (it stays leased for the caller), the rest are nacked back. */
  private async scan(ref: SubscriptionRef, keep: (pulled: Pulled) => boolean): Promise<Pulled[]> {
    const seen: Pulled[] = [];
    const release: string[] = [];
    try {
      while (seen.length < SCAN_LIMIT) {
        const [response] = await pubsubCall(`pull ${ref.deadLetterSubscription}`, () =>
          this.client.pull({ subscription: ref.deadLetterSubscription, maxMessages: PULL_BATCH, returnImmediately: true }),
        );
        const received = response.receivedMessages ?? [];
        if (received.length === 0) break;
        for (const item of received) {
          const message = item.message ?? {};
          const seconds = Number(message.publishTime?.seconds ?? 0);
          const pulled: Pulled = {
            ackId: item.ackId ?? "",
            messageId: message.messageId ?? "",
            data: Buffer.from(message.data ?? []),
            attributes: { ...(message.attributes ?? {}) },
            publishTime: new Date(seconds * 1000 + Math.floor((message.publishTime?.nanos ?? 0) / 1e6)),
          };
          seen.push(pulled);
          if (!keep(pulled)) release.push(pulled.ackId);
        }
      }
    } finally {
      if (release.length > 0) {
        await pubsubCall(`release ${ref.deadLetterSubscription}`, () =>
          this.client.modifyAckDeadline({ subscription: ref.deadLetterSubscription, ackIds: release, ackDeadlineSeconds: 0 }),
        );
      }
    }
    return seen;
  }
}

function toDeadLetter(subscription: string, pulled: Pulled): DeadLetter {
  const record = readRecord(pulled.attributes, pulled.publishTime);
  const raw = toEncodedMessage(pulled.data, pulled.attributes);
  let message: DeadLetter["message"] = null;
  try {
    message = decodeCloudEvent(raw);
  } catch {
    message = null;
  }
  return {
    id: `${subscription}:${pulled.messageId}`,
    subscription,
    message,
    raw,
    reason: record.reason,
    attempts: record.attempts,
    deadLetteredAt: record.at,
  };
}
