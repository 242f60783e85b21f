import type { ServiceBusClient, ServiceBusSender } from "@azure/service-bus";
import { encodeCloudEvent, InfrastructureError, InfrastructureErrorCode } from "@tiffin/core";
import type { CloudEvent, EncodedMessage, MessagePublisher } from "@tiffin/core";
import { serviceBus } from "./azure-errors.js";
import { toServiceBusMessage } from "./message-mapping.js";

/**
 * Publishes to a Service Bus topic in batches from `createMessageBatch` (sized by the link's maximum message size),
 * sent one after another, so one order's events are accepted in array order. `publish` resolves once the service
 * accepted every batch.
 */
export class ServiceBusPublisher implements MessagePublisher {
  private readonly senders = new Map<string, ServiceBusSender>();

  constructor(private readonly client: ServiceBusClient) {}

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

/** A message no batch can take: permanent, as the service's size limit will not change on a retry. */
const tooLarge = (message: EncodedMessage, maxBytes: number): InfrastructureError =>
  new InfrastructureError(
    InfrastructureErrorCode.Unexpected,
    `message ${message.attributes.id ?? ""} does not fit a Service Bus message (${maxBytes} bytes with its properties)`,
    { transient: false },
  );
