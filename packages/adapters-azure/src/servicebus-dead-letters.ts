import { randomUUID } from "node:crypto";
import type { ServiceBusClient, ServiceBusReceivedMessage, ServiceBusReceiver } from "@azure/service-bus";
import Long from "long";
import { decodeCloudEvent, DEAD_LETTER_REASON } from "@tiffin/core";
import type { CloudEvent, DeadLetter, DeadLetters } from "@tiffin/core";
import { serviceBus } from "./azure-errors.js";
import { fromReceived, toServiceBusMessage } from "./message-mapping.js";
import { ADAPTER_PROPERTIES } from "./topology.js";

const PAGE = 100;
const SCAN_LIMIT = 1_000;
const SCAN_WAIT_MS = 500;

/**
 * Dead letters in each subscription's `$DeadLetterQueue`. `list` peeks (no locks, oldest first); `replay` finds the
 * letter under peek-lock, sends a copy to the topic addressed to its own subscription only (the `replay` rule),
 * then completes the letter. A crash between the two leaves the letter listed and the copy delivered; the
 * consumer's inbox makes the second replay a no-op.
 */
export class ServiceBusDeadLetters implements DeadLetters {
  constructor(
    private readonly client: ServiceBusClient,
    /** Subscription name to topic, learnt from `subscribe`; other names use `defaultTopic`. */
    private readonly topics: ReadonlyMap<string, string>,
    private readonly defaultTopic: string,
  ) {}

  async list(subscription: string, options: { limit?: number } = {}): Promise<DeadLetter[]> {
    const limit = options.limit ?? SCAN_LIMIT;
    const receiver = this.deadLetterReceiver(subscription);
    try {
      const letters: DeadLetter[] = [];
      // The SDK remembers where the last peek on an entity stopped; each page says where to start.
      let from = Long.fromNumber(0);
      while (letters.length < limit) {
        const page = await serviceBus(`peek ${subscription} dead letters`, () =>
          receiver.peekMessages(Math.min(PAGE, limit - letters.length), { fromSequenceNumber: from }),
        );
        if (page.length === 0) break;
        letters.push(...page.map((message) => toDeadLetter(subscription, message)));
        from = (page.at(-1)?.sequenceNumber ?? from).add(1);
      }
      return letters;
    } finally {
      await receiver.close();
    }
  }

  async replay(deadLetterId: string): Promise<boolean> {
    const separator = deadLetterId.lastIndexOf(":");
    if (separator < 0) return false;
    const subscription = deadLetterId.slice(0, separator);
    const sequenceNumber = deadLetterId.slice(separator + 1);
    const receiver = this.deadLetterReceiver(subscription);
    const others: ServiceBusReceivedMessage[] = [];
    try {
      for (let scanned = 0; scanned < SCAN_LIMIT; ) {
        const batch = await serviceBus(`receive ${subscription} dead letters`, () =>
          receiver.receiveMessages(PAGE, { maxWaitTimeInMs: SCAN_WAIT_MS }),
        );
        if (batch.length === 0) return false;
        scanned += batch.length;
        const found = batch.find((message) => message.sequenceNumber?.toString() === sequenceNumber);
        others.push(...batch.filter((message) => message !== found));
        if (found === undefined) continue;
        await this.sendReplay(subscription, found);
        await serviceBus(`complete replayed dead letter ${deadLetterId}`, () => receiver.completeMessage(found));
        return true;
      }
      return false;
    } finally {
      for (const message of others) await receiver.abandonMessage(message).catch(() => undefined);
      await receiver.close();
    }
  }

  private async sendReplay(subscription: string, letter: ServiceBusReceivedMessage): Promise<void> {
    const copy = toServiceBusMessage(fromReceived(letter));
    const sender = this.client.createSender(this.topic(subscription));
    try {
      await serviceBus(`replay to ${subscription}`, () =>
        sender.sendMessages({
          ...copy,
          // No subject: the type rules of the other subscriptions must not match; a fresh id passes duplicate detection.
          subject: undefined,
          messageId: `${copy.messageId as string}:replay:${randomUUID()}`,
          sessionId: letter.sessionId ?? copy.sessionId,
          applicationProperties: { ...copy.applicationProperties, [ADAPTER_PROPERTIES.replayTo]: subscription },
        }),
      );
    } finally {
      await sender.close();
    }
  }

  private deadLetterReceiver(subscription: string): ServiceBusReceiver {
    return this.client.createReceiver(this.topic(subscription), subscription, {
      subQueueType: "deadLetter",
      receiveMode: "peekLock",
      skipParsingBodyAsJson: true,
      maxAutoLockRenewalDurationInMs: 0,
    });
  }

  private topic(subscription: string): string {
    return this.topics.get(subscription) ?? this.defaultTopic;
  }
}

function toDeadLetter(subscription: string, message: ServiceBusReceivedMessage): DeadLetter {
  const raw = fromReceived(message);
  let event: CloudEvent | null = null;
  try {
    event = decodeCloudEvent(raw);
  } catch {
    event = null;
  }
  const properties = message.applicationProperties ?? {};
  const attempts = Number(properties[ADAPTER_PROPERTIES.attempts] ?? (message.deliveryCount ?? 0));
  const at = properties[ADAPTER_PROPERTIES.deadLetteredAt];
  return {
    id: `${subscription}:${message.sequenceNumber?.toString() ?? ""}`,
    subscription,
    message: event,
    raw,
    reason: reasonOf(message, attempts),
    attempts,
    deadLetteredAt: typeof at === "string" ? at : (message.enqueuedTimeUtc ?? new Date()).toISOString(),
  };
}

/** The adapter's own reason, or the service's (a crashed handler ran out of deliveries) in the same format. */
function reasonOf(message: ServiceBusReceivedMessage, attempts: number): string {
  const reason = message.deadLetterReason ?? "";
  if (DEAD_LETTER_REASON.test(reason)) return reason;
  const description = message.deadLetterErrorDescription ?? "";
  return `failed ${attempts} deliveries: moved by Service Bus (${reason}${description ? `: ${description}` : ""})`;
}
