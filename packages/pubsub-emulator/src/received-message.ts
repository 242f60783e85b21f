import { toTimestamp, type ProtoDuration } from "./durations.js";
import type { Delivery } from "./subscription-queue.js";

/** google.pubsub.v1.ReceivedMessage as the loader serializes it. */
export interface ReceivedMessage {
  ackId: string;
  message: {
    data: Buffer;
    attributes: Record<string, string>;
    messageId: string;
    publishTime: ProtoDuration;
    orderingKey: string;
  };
  deliveryAttempt: number;
}

export function receivedMessage(delivery: Delivery, deliveryAttempt: number): ReceivedMessage {
  const { message } = delivery;
  return {
    ackId: delivery.ackId,
    message: {
      data: message.data,
      attributes: { ...message.attributes },
      messageId: message.messageId,
      publishTime: toTimestamp(message.publishTime),
      orderingKey: message.orderingKey,
    },
    deliveryAttempt,
  };
}
