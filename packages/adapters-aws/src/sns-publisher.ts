import { createHash, randomUUID } from "node:crypto";
import { PublishBatchCommand, type PublishBatchRequestEntry } from "@aws-sdk/client-sns";
import { InfrastructureError, InfrastructureErrorCode, encodeCloudEvent } from "@tiffin/core";
import type { CloudEvent, EncodedMessage, MessagePublisher } from "@tiffin/core";
import type { AwsClients } from "./aws-clients.js";
import type { ResolvedAwsBrokerConfig } from "./aws-config.js";
import { aws } from "./aws-errors.js";
import { SNS_MAX_MESSAGE_BYTES, packAttributes, snsMessageBytes } from "./message-attributes.js";
import type { AwsTopology } from "./topology.js";

const MAX_BATCH_ENTRIES = 10;
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

/** SNS wants group and deduplication ids of printable ASCII up to 128 characters; hash anything else. */
const fifoId = (value: string): string => (FIFO_ID.test(value) ? value : createHash("sha256").update(value).digest("hex"));

interface Entry {
  readonly request: PublishBatchRequestEntry;
  readonly bytes: number;
}

/**
 * Publishes CloudEvents to SNS with `PublishBatch` (10 messages or 256 KiB per call), in array order. On a FIFO
 * topic the subject (order id) is the message group and the event id the deduplication id, so each order's events
 * are delivered in sequence and a republished event is dropped within SNS's 5-minute window.
 */
export class SnsPublisher implements MessagePublisher {
  constructor(
    private readonly clients: AwsClients,
    private readonly topology: AwsTopology,
    private readonly config: ResolvedAwsBrokerConfig,
  ) {}

  async publish(topic: string, messages: readonly CloudEvent[]): Promise<void> {
    await this.publishEncoded(topic, messages.map(encodeCloudEvent));
  }

  /** Publishes already-encoded messages as they are (tools and tests use it for foreign or broken messages). */
  async publishEncoded(topic: string, messages: readonly EncodedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const topicArn = await this.topology.topicArn(topic);
    const entries = messages.map((message, index) => this.entry(message, index));
    for (const batch of publishBatches(entries).map((run) => run.map((entry) => entry.request))) {
      const result = await aws(`PublishBatch to ${topicArn}`, () =>
        this.clients.sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: batch })),
      );
      const failed = result.Failed ?? [];
      if (failed.length > 0) {
        const transient = failed.some((f) => f.SenderFault !== true);
        const detail = failed.map((f) => `${f.Id}: ${f.Code} ${f.Message ?? ""}`).join("; ");
        throw new InfrastructureError(
          transient ? InfrastructureErrorCode.Unavailable : InfrastructureErrorCode.Unexpected,
          `PublishBatch to ${topicArn} rejected ${failed.length} of ${batch.length} messages: ${detail}`,
          { transient },
        );
      }
    }
  }

  async close(): Promise<void> {
    // The SDK clients are shared with the subscriber; whoever built them destroys them.
  }

  private entry(message: EncodedMessage, index: number): Entry {
    const attributes = packAttributes(message.attributes);
    const bytes = snsMessageBytes(message.body, attributes);
    const id = message.attributes.id ?? randomUUID();
    if (bytes > SNS_MAX_MESSAGE_BYTES) {
      throw new InfrastructureError(
        InfrastructureErrorCode.Unexpected,
        `message ${id} is ${bytes} bytes with its attributes; SNS accepts at most ${SNS_MAX_MESSAGE_BYTES}`,
        { transient: false },
      );
    }
    const fifo = this.config.fifo
      ? { MessageGroupId: fifoId(message.attributes.subject ?? id), MessageDeduplicationId: fifoId(id) }
      : {};
    return { request: { Id: `m${index}`, Message: message.body, MessageAttributes: attributes, ...fifo }, bytes };
  }
}

/** Splits entries, in order, into PublishBatch calls within SNS's count and size limits. */
export function publishBatches<T extends { readonly bytes: number }>(entries: readonly T[]): T[][] {
  const result: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (current.length === MAX_BATCH_ENTRIES || bytes + entry.bytes > SNS_MAX_MESSAGE_BYTES) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += entry.bytes;
  }
  if (current.length > 0) result.push(current);
  return result;
}
