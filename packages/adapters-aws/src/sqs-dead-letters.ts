import { randomUUID } from "node:crypto";
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type Message,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { decodeCloudEvent } from "@tiffin/core";
import type { DeadLetter, DeadLetters, EncodedMessage } from "@tiffin/core";
import type { ResolvedAwsBrokerConfig } from "./aws-config.js";
import { aws } from "./aws-errors.js";
import { DEAD_LETTER_ATTRIBUTE, packAttributes, receivedAttributes, unpackAttributes } from "./message-attributes.js";
import type { AwsTopology, QueueRef } from "./topology.js";

/** What the adapter writes on a message it dead-letters itself (SQS's own redrive writes nothing). */
interface DeadLetterRecord {
  readonly reason: string;
  readonly attempts: number;
  readonly at: string;
}

/** How long a scan hides dead letters from other scans before it gives them back. */
const SCAN_LEASE_SECONDS = 10;
const SCAN_LIMIT = 1_000;

/** Moves a received message to its subscription's dead-letter queue with the reason, then deletes the original. */
export async function sendToDeadLetterQueue(
  sqs: SQSClient,
  queue: QueueRef,
  message: Message,
  record: Omit<DeadLetterRecord, "at">,
  fifo: boolean,
): Promise<void> {
  const { [DEAD_LETTER_ATTRIBUTE]: _previous, ...attributes } = receivedAttributes(message.MessageAttributes);
  const full: DeadLetterRecord = { ...record, at: new Date().toISOString() };
  await aws(`SendMessage to ${queue.dlq}`, () =>
    sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.dlqUrl,
        MessageBody: message.Body ?? "",
        MessageAttributes: {
          ...packAttributes(attributes),
          [DEAD_LETTER_ATTRIBUTE]: { DataType: "String", StringValue: JSON.stringify(full) },
        },
        // A group per letter: dead letters need no order, and one stuck group must not hide the others from a scan.
        ...(fifo ? { MessageGroupId: randomUUID(), MessageDeduplicationId: randomUUID() } : {}),
      }),
    ),
  );
  await aws(`DeleteMessage from ${queue.queue}`, () =>
    sqs.send(new DeleteMessageCommand({ QueueUrl: queue.url, ReceiptHandle: message.ReceiptHandle })),
  );
}

/**
 * Dead letters in SQS dead-letter queues. SQS cannot peek, so `list` receives every dead letter under a short
 * lease and gives them all back at once; two scans at the same moment each see part of the queue.
 */
export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly sqs: SQSClient,
    private readonly topology: AwsTopology,
    private readonly config: ResolvedAwsBrokerConfig,
  ) {}

  async list(subscription: string, options: { limit?: number } = {}): Promise<DeadLetter[]> {
    const queue = await this.topology.queue(subscription);
    const letters = await this.scan(queue, () => false);
    return letters
      .map((message) => toDeadLetter(subscription, queue, message))
      .sort((a, b) => a.deadLetteredAt.localeCompare(b.deadLetteredAt))
      .slice(0, options.limit ?? Number.POSITIVE_INFINITY);
  }

  /** Sends the letter to its own queue only (not the topic) as a fresh message; the inbox dedupes a repeat. */
  async replay(deadLetterId: string): Promise<boolean> {
    const separator = deadLetterId.indexOf(":");
    if (separator < 0) return false;
    const subscription = deadLetterId.slice(0, separator);
    const messageId = deadLetterId.slice(separator + 1);
    const queue = await this.topology.queue(subscription);
    let found: Message | undefined;
    await this.scan(queue, (message) => {
      if (message.MessageId !== messageId) return false;
      found = message;
      return true;
    });
    if (found === undefined) return false;
    const { [DEAD_LETTER_ATTRIBUTE]: _record, ...attributes } = receivedAttributes(found.MessageAttributes);
    const group = attributes.subject ?? attributes.id ?? randomUUID();
    await aws(`SendMessage to ${queue.queue}`, () =>
      this.sqs.send(
        new SendMessageCommand({
          QueueUrl: queue.url,
          MessageBody: found?.Body ?? "",
          MessageAttributes: packAttributes(attributes),
          ...(this.config.fifo ? { MessageGroupId: group, MessageDeduplicationId: `replay-${randomUUID()}` } : {}),
        }),
      ),
    );
    await aws(`DeleteMessage from ${queue.dlq}`, () =>
      this.sqs.send(new DeleteMessageCommand({ QueueUrl: queue.dlqUrl, ReceiptHandle: found?.ReceiptHandle })),
    );
    return true;
  }

  /** Receives every dead letter; `keep` claims one (its lease is not given back), the rest are released. */
  private async scan(queue: QueueRef, keep: (message: Message) => boolean): Promise<Message[]> {
    const seen: Message[] = [];
    const release: Message[] = [];
    try {
      while (seen.length < SCAN_LIMIT) {
        const { Messages = [] } = await aws(`ReceiveMessage from ${queue.dlq}`, () =>
          this.sqs.send(
            new ReceiveMessageCommand({
              QueueUrl: queue.dlqUrl,
              MaxNumberOfMessages: 10,
              // One second of long polling asks every SQS server, so an empty answer means empty.
              WaitTimeSeconds: 1,
              VisibilityTimeout: SCAN_LEASE_SECONDS,
              MessageAttributeNames: ["All"],
              MessageSystemAttributeNames: ["SentTimestamp"],
            }),
          ),
        );
        if (Messages.length === 0) break;
        for (const message of Messages) {
          seen.push(message);
          if (!keep(message)) release.push(message);
        }
      }
    } finally {
      await this.release(queue, release);
    }
    return seen;
  }

  private async release(queue: QueueRef, messages: readonly Message[]): Promise<void> {
    for (let i = 0; i < messages.length; i += 10) {
      const entries = messages.slice(i, i + 10).map((m, n) => ({ Id: `r${n}`, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
      await aws(`ChangeMessageVisibilityBatch on ${queue.dlq}`, () =>
        this.sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queue.dlqUrl, Entries: entries })),
      );
    }
  }
}

function toDeadLetter(subscription: string, queue: QueueRef, message: Message): DeadLetter {
  const received = receivedAttributes(message.MessageAttributes);
  const record = readRecord(received[DEAD_LETTER_ATTRIBUTE]) ?? {
    // In the delivery policy's reason format, although the policy never saw it: the handler never settled it.
    reason: `failed ${queue.maxReceiveCount} deliveries: moved by SQS redrive, the handler never settled it`,
    attempts: queue.maxReceiveCount,
    at: new Date(Number(message.Attributes?.SentTimestamp ?? Date.now())).toISOString(),
  };
  let raw: EncodedMessage;
  try {
    raw = { attributes: unpackAttributes(received), body: message.Body ?? "" };
  } catch {
    const { [DEAD_LETTER_ATTRIBUTE]: _record, ...attributes } = received;
    raw = { attributes, body: message.Body ?? "" };
  }
  let event: DeadLetter["message"] = null;
  try {
    event = decodeCloudEvent(raw);
  } catch {
    event = null;
  }
  return {
    id: `${subscription}:${message.MessageId ?? ""}`,
    subscription,
    message: event,
    raw,
    reason: record.reason,
    attempts: record.attempts,
    deadLetteredAt: record.at,
  };
}

function readRecord(value: string | undefined): DeadLetterRecord | undefined {
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<DeadLetterRecord>;
    if (typeof parsed.reason === "string" && typeof parsed.attempts === "number" && typeof parsed.at === "string") {
      return { reason: parsed.reason, attempts: parsed.attempts, at: parsed.at };
    }
  } catch {
    return undefined;
  }
  return undefined;
}
