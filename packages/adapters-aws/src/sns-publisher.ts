import { createHash, randomUUID } from "node:crypto";
import { PublishBatchCommand, type PublishBatchRequestEntry } from "@aws-sdk/client-sns";
import { InfrastructureError, InfrastructureErrorCode, MessageRefusedError, encodeCloudEvent } from "@tiffin/core";
import type { CloudEvent, EncodedMessage, MessagePublisher, MessageSizeLimit } from "@tiffin/core";
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
  readonly messageId: string;
}

/**
 * Publishes CloudEvents to SNS with `PublishBatch` (10 messages or 256 KiB per call), in array order. On a FIFO
 * topic the subject (order id) is the message group and the event id the deduplication id, so each order's events
 * are delivered in sequence and a republished event is dropped within SNS's 5-minute window. Messages SNS would
 * never take (past its size limit, or refused as the sender's fault) are reported with `MessageRefusedError`.
 */
export class SnsPublisher implements MessagePublisher, MessageSizeLimit {
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
    const entries = messages.map((message, index) => this.entry(message, index));
    // Refused before anything is sent: SNS would never take these, and the others stay in order behind them.
    const tooLarge = entries.filter((entry) => entry.bytes > SNS_MAX_MESSAGE_BYTES);
    if (tooLarge.length > 0) {
      throw new MessageRefusedError(
        tooLarge.map((entry) => entry.messageId),
        tooLarge.map((entry) => `message ${entry.messageId} is ${entry.bytes} bytes with its attributes; SNS accepts at most ${SNS_MAX_MESSAGE_BYTES}`).join("; "),
      );
    }
    const topicArn = await this.topology.topicArn(topic);
    for (const batch of publishBatches(entries)) {
      const result = await aws(`PublishBatch to ${topicArn}`, () =>
        this.clients.sns.send(new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: batch.map((entry) => entry.request) })),
      );
      const failed = result.Failed ?? [];
      if (failed.length > 0) {
        const detail = `PublishBatch to ${topicArn} rejected ${failed.length} of ${batch.length} messages: ${failed.map((f) => `${f.Id}: ${f.Code} ${f.Message ?? ""}`).join("; ")}`;
        // A sender fault on an entry is SNS refusing that message (bad attribute, too large); anything else may pass on a retry.
        if (failed.every((f) => f.SenderFault === true)) {
          const ids = new Map(batch.map((entry) => [entry.request.Id, entry.messageId]));
          throw new MessageRefusedError(failed.map((f) => ids.get(f.Id) ?? f.Id ?? ""), detail);
        }
        throw new InfrastructureError(InfrastructureErrorCode.Unavailable, detail, { transient: true });
      }
    }
  }

  /** SNS's limit: 256 KiB for the body plus every attribute's name, type and value. */
  readonly maxMessageBytes = SNS_MAX_MESSAGE_BYTES;

  messageBytes(message: CloudEvent): number {
    const encoded = encodeCloudEvent(message);
    return snsMessageBytes(encoded.body, packAttributes(encoded.attributes));
  }

  async close(): Promise<void> {
    // The SDK clients are shared with the subscriber; whoever built them destroys them.
  }

  private entry(message: EncodedMessage, index: number): Entry {
    const attributes = packAttributes(message.attributes);
    const bytes = snsMessageBytes(message.body, attributes);
    const id = message.attributes.id ?? randomUUID();
    const fifo = this.config.fifo
      ? { MessageGroupId: fifoId(message.attributes.subject ?? id), MessageDeduplicationId: fifoId(id) }
      : {};
    return { request: { Id: `m${index}`, Message: message.body, MessageAttributes: attributes, ...fifo }, bytes, messageId: id };
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
