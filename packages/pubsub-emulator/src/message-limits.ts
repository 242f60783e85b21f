import { Buffer } from "node:buffer";
import { invalidArgument } from "./api-error.js";

/** The service's documented publish limits (https://cloud.google.com/pubsub/quotas#resource_limits). */
export const LIMITS = {
  attributesPerMessage: 100,
  attributeKeyBytes: 256,
  attributeValueBytes: 1024,
  orderingKeyBytes: 1024,
  messageBytes: 10 * 1024 * 1024,
  requestBytes: 10 * 1024 * 1024,
  messagesPerRequest: 1000,
} as const;

export interface IncomingMessage {
  readonly data: Buffer;
  readonly attributes: Record<string, string>;
  readonly orderingKey: string;
}

/** Size as the service counts it: data, attribute keys and values, ordering key. */
export function messageSize(message: IncomingMessage): number {
  let size = message.data.length + Buffer.byteLength(message.orderingKey);
  for (const [key, value] of Object.entries(message.attributes)) size += Buffer.byteLength(key) + Buffer.byteLength(value);
  return size;
}

/** Throws INVALID_ARGUMENT for a publish request the real service refuses. */
export function checkPublishRequest(messages: readonly IncomingMessage[]): void {
  if (messages.length === 0) throw invalidArgument("The request contains no messages.");
  if (messages.length > LIMITS.messagesPerRequest) {
    throw invalidArgument(`The value for message_count is too large. You passed ${messages.length} in the request, but the maximum value is ${LIMITS.messagesPerRequest}.`);
  }
  let total = 0;
  for (const message of messages) {
    const entries = Object.entries(message.attributes);
    if (message.data.length === 0 && entries.length === 0) {
      throw invalidArgument("One or more messages in the publish request is empty. Each message must contain either non-empty data, or at least one attribute.");
    }
    if (entries.length > LIMITS.attributesPerMessage) {
      throw invalidArgument(`Number of attributes exceeds the limit: ${entries.length} > ${LIMITS.attributesPerMessage}.`);
    }
    for (const [key, value] of entries) {
      if (key.length === 0) throw invalidArgument("Invalid attribute key: the key is empty.");
      if (key.startsWith("goog")) throw invalidArgument(`Invalid attribute key: keys starting with "goog" are reserved (key=${key}).`);
      if (Buffer.byteLength(key) > LIMITS.attributeKeyBytes) {
        throw invalidArgument(`An attribute key in the request exceeds the limit of ${LIMITS.attributeKeyBytes} bytes.`);
      }
      if (Buffer.byteLength(value) > LIMITS.attributeValueBytes) {
        throw invalidArgument(`An attribute value in the request exceeds the limit of ${LIMITS.attributeValueBytes} bytes (key=${key}).`);
      }
    }
    if (Buffer.byteLength(message.orderingKey) > LIMITS.orderingKeyBytes) {
      throw invalidArgument(`An ordering key in the request exceeds the limit of ${LIMITS.orderingKeyBytes} bytes.`);
    }
    const size = messageSize(message);
    if (size > LIMITS.messageBytes) throw invalidArgument(`Message size exceeds the limit: ${size} > ${LIMITS.messageBytes} bytes.`);
    total += size;
  }
  if (total > LIMITS.requestBytes) throw invalidArgument(`Request payload size exceeds the limit: ${LIMITS.requestBytes} bytes.`);
}
