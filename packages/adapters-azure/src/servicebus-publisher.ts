import type { ServiceBusClient, ServiceBusSender } from "@azure/service-bus";
import { MessageRefusedError, encodeCloudEvent, encodedMessageBytes } from "@tiffin/core";
import type { CloudEvent, EncodedMessage, MessagePublisher, MessageSizeLimit } from "@tiffin/core";
import { serviceBus } from "./azure-errors.js";
import { toServiceBusMessage } from "./message-mapping.js";

/**
 * Publishes to a Service Bus topic in batches from `createMessageBatch` (sized by the link's maximum message size),
 * sent one after another, so one order's events are accepted in array order. `publish` resolves once the service
 * accepted every batch.
 */
export class ServiceBusPublisher implements MessagePublisher, MessageSizeLimit {
  private readonly senders = new Map<string, ServiceBusSender>();

  /** `maxMessageBytes`: the tier's limit as placement checks it (default the standard tier's 256 KB; premium up to 100 MB). */
  constructor(
    private readonly client: ServiceBusClient,
    readonly maxMessageBytes: number = SERVICE_BUS_STANDARD_MAX_MESSAGE_BYTES,
  ) {}

  /** Body and application properties, plus room for the AMQP encoding (the link enforces the exact size at send). */
  messageBytes(message: CloudEvent): number {
    return encodedMessageBytes(encodeCloudEvent(message)) + AMQP_ENCODING_BYTES;
  }

  async publish(topic: string, messages: readonly CloudEvent[]): Promise<void> {
    await this.publishEncoded(topic, messages.map(encodeCloudEvent));
  }

  /** Publishes already encoded messages (replays, and foreign producers in tests). */
  async publishEncoded(topic: string, messages: readonly EncodedMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const sender = this.sender(topic);
    let batch = await serviceBus(`create a batch for ${topic}`, () => sender.createMessageBatch());
    for (const message of messages) {
      const outgoing = toServiceBusMessage(message);
      if (batch.tryAddMessage(outgoing)) continue;
      if (batch.count === 0) throw tooLarge(message, batch.maxSizeInBytes);
      const full = batch;
      await serviceBus(`send to ${topic}`, () => sender.sendMessages(full));
      batch = await serviceBus(`create a batch for ${topic}`, () => sender.createMessageBatch());
      if (!batch.tryAddMessage(outgoing)) throw tooLarge(message, batch.maxSizeInBytes);
    }
    const last = batch;
    await serviceBus(`send to ${topic}`, () => sender.sendMessages(last));
  }

  async close(): Promise<void> {
    await Promise.all([...this.senders.values()].map((sender) => sender.close()));
    this.senders.clear();
  }

  private sender(topic: string): ServiceBusSender {
    let sender = this.senders.get(topic);
    if (sender === undefined) {
      sender = this.client.createSender(topic);
      this.senders.set(topic, sender);
    }
    return sender;
  }
}

/** The standard tier's message size limit (256 KB, header included). */
export const SERVICE_BUS_STANDARD_MAX_MESSAGE_BYTES = 262_144;
/** What the AMQP envelope, header and property encodings add to a message's body and properties, at most. */
const AMQP_ENCODING_BYTES = 1_024;

/** A message no batch can take: refused for good, as the service's size limit will not change on a retry. */
const tooLarge = (message: EncodedMessage, maxBytes: number): MessageRefusedError =>
  new MessageRefusedError(
    [message.attributes.id ?? ""],
    `message ${message.attributes.id ?? ""} does not fit a Service Bus message (${maxBytes} bytes with its properties)`,
  );
