import { encodeCloudEvent, encodedMessageBytes } from "../../messaging/cloud-event-codec.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import { MessageRefusedError } from "../../ports/message-refused.errors.js";
import type { MessagePublisher, MessageSizeLimit } from "../../ports/messaging.js";

/**
 * A publisher with a broker's message size limit on top of one that has none (the in-memory broker, the Postgres
 * transport), so an embedded deployment or a test behaves like its target cloud: a call with any message past
 * `maxMessageBytes` (body plus attribute names and values) publishes nothing and refuses those messages.
 */
export class SizeLimitedPublisher implements MessagePublisher, MessageSizeLimit {
  constructor(
    private readonly inner: MessagePublisher,
    readonly maxMessageBytes: number,
  ) {
    if (!(Number.isInteger(maxMessageBytes) && maxMessageBytes > 0)) throw new RangeError(`maxMessageBytes must be a positive integer, got ${maxMessageBytes}`);
  }

  async publish(topic: string, messages: readonly CloudEvent[]): Promise<void> {
    const refused = messages.filter((message) => this.messageBytes(message) > this.maxMessageBytes).map((message) => message.id);
    if (refused.length > 0) {
      throw new MessageRefusedError(refused, `message ${refused.join(", ")} is larger than the broker's ${this.maxMessageBytes} bytes`);
    }
    await this.inner.publish(topic, messages);
  }

  messageBytes(message: CloudEvent): number {
    return encodedMessageBytes(encodeCloudEvent(message));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
