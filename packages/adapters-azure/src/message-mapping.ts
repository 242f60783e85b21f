import { randomUUID } from "node:crypto";
import type { ServiceBusMessage, ServiceBusReceivedMessage } from "@azure/service-bus";
import type { EncodedMessage } from "@tiffin/core";
import { ADAPTER_PROPERTIES } from "./topology.js";

const ADAPTER_NAMES = new Set<string>([...Object.values(ADAPTER_PROPERTIES), "DeadLetterReason", "DeadLetterErrorDescription"]);

/**
 * A CloudEvent in binary mode as a Service Bus message: every attribute an application property, the JSON body as
 * bytes, `messageId` = event id (duplicate detection), `subject` = event type (what the subscriptions' rules match)
 * and `sessionId` = CloudEvents subject, the order id (per-order sequence). A message without a subject is its own
 * session.
 */
export function toServiceBusMessage(message: EncodedMessage): ServiceBusMessage {
  const { attributes } = message;
  const id = attributes.id ?? randomUUID();
  return {
    body: Buffer.from(message.body, "utf8"),
    contentType: "application/json",
    messageId: id,
    sessionId: attributes.subject ?? id,
    ...(attributes.type === undefined ? {} : { subject: attributes.type }),
    applicationProperties: { ...attributes },
  };
}

/** The CloudEvent's attributes and body as they arrived, without what the adapter or the service added. */
export function fromReceived(message: ServiceBusReceivedMessage): EncodedMessage {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.applicationProperties ?? {})) {
    if (typeof value === "string" && !ADAPTER_NAMES.has(name)) attributes[name] = value;
  }
  const body = message.body as unknown;
  return { attributes, body: Buffer.isBuffer(body) ? body.toString("utf8") : typeof body === "string" ? body : JSON.stringify(body) };
}
