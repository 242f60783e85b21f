import { Buffer } from "node:buffer";
import type { EncodedMessage } from "@tiffin/core";

/** The adapter's own dead-letter record on a message it moved: JSON `{ reason, attempts, at }`. */
export const DEAD_LETTER_ATTRIBUTE = "tiffin_dead_letter";
/** On a replayed message: the only subscription that should handle it (the others' filters drop it). */
export const REPLAY_ATTRIBUTE = "tiffin_replay";
/** What the service adds when its dead-letter policy forwards a message. */
export const SERVICE_DEAD_LETTER_PREFIX = "CloudPubSubDeadLetterSource";

/** Pub/Sub message fields as the publisher takes them: CloudEvents attributes as Pub/Sub attributes, body as data. */
export function toPubSubMessage(message: EncodedMessage, extra: Readonly<Record<string, string>> = {}): {
  data: Buffer;
  attributes: Record<string, string>;
  orderingKey: string;
} {
  return {
    data: Buffer.from(message.body, "utf8"),
    attributes: { ...message.attributes, ...extra },
    // One ordering key per order: the CloudEvents subject is the order id.
    orderingKey: message.attributes.subject ?? "",
  };
}

/** The CloudEvent's binary-mode message, without the adapter's and the service's own attributes. */
export function toEncodedMessage(data: Buffer, attributes: Readonly<Record<string, string>>): EncodedMessage {
  const own: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key === DEAD_LETTER_ATTRIBUTE || key === REPLAY_ATTRIBUTE || key.startsWith(SERVICE_DEAD_LETTER_PREFIX)) continue;
    own[key] = value;
  }
  return { attributes: own, body: data.toString("utf8") };
}
