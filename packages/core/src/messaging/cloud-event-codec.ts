import { Buffer } from "node:buffer";
import { CLOUD_EVENT_ATTRIBUTES, type CloudEvent, type CloudEventAttribute } from "./cloud-event.js";

/** A CloudEvent in binary mode: string attributes and a UTF-8 JSON body, as brokers carry it. */
export interface EncodedMessage {
  readonly attributes: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Thrown when bytes from a broker are not a valid Tiffin CloudEvent; such a message is dead-lettered at once. */
export class MessageParseError extends Error {
  override readonly name = "MessageParseError";
  readonly code = "MESSAGE_UNPARSEABLE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const REQUIRED: readonly CloudEventAttribute[] = ["specversion", "id", "source", "type", "time"];

/** Encodes a CloudEvent for a broker: every set attribute becomes a string attribute, `data` the JSON body. */
export function encodeCloudEvent(event: CloudEvent): EncodedMessage {
  const attributes: Record<string, string> = {};
  for (const name of CLOUD_EVENT_ATTRIBUTES) {
    const value = event[name];
    if (value !== undefined) attributes[name] = value;
  }
  return { attributes, body: JSON.stringify(event.data) };
}

/** Decodes a broker message into a CloudEvent, or throws MessageParseError saying what is wrong. */
export function decodeCloudEvent(message: EncodedMessage): CloudEvent {
  for (const name of REQUIRED) {
    if (typeof message.attributes[name] !== "string" || message.attributes[name] === "") {
      throw new MessageParseError(`missing CloudEvents attribute "${name}"`);
    }
  }
  if (message.attributes.specversion !== "1.0") {
    throw new MessageParseError(`unsupported specversion "${message.attributes.specversion}"`);
  }
  let data: unknown;
  try {
    data = JSON.parse(message.body);
  } catch (cause) {
    throw new MessageParseError("message body is not JSON", { cause });
  }
  const event: Record<string, unknown> = { datacontenttype: "application/json", data };
  for (const name of CLOUD_EVENT_ATTRIBUTES) {
    const value = message.attributes[name];
    if (value !== undefined) event[name] = value;
  }
  return event as unknown as CloudEvent;
}

/** Bytes of an encoded message as most brokers count it against their limit: the body plus every attribute's name and value (UTF-8). */
export function encodedMessageBytes(message: EncodedMessage): number {
  let size = Buffer.byteLength(message.body, "utf8");
  for (const [name, value] of Object.entries(message.attributes)) size += Buffer.byteLength(name, "utf8") + Buffer.byteLength(value, "utf8");
  return size;
}
