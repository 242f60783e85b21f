import { CloudEvent as SdkCloudEvent, HTTP } from "cloudevents";
import { encodeCloudEvent } from "../../messaging/cloud-event-codec.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";

/**
 * Checks an envelope with the CloudEvents SDK (a validator nobody on the project wrote): the broker encoding read
 * back as a binary-mode HTTP message, validated strictly against the CloudEvents 1.0 schema (required attributes,
 * `time` as RFC 3339, extension names), with every attribute and the data unchanged. Throws naming what is wrong.
 */
export function assertCloudEventsConformant(event: CloudEvent): void {
  const { attributes, body } = encodeCloudEvent(event);
  const headers: Record<string, string> = { "content-type": attributes.datacontenttype ?? "application/json" };
  for (const [name, value] of Object.entries(attributes)) if (name !== "datacontenttype") headers[`ce-${name}`] = value;
  let read: SdkCloudEvent<unknown>;
  try {
    const parsed = HTTP.toEvent({ headers, body });
    if (Array.isArray(parsed)) throw new Error("read as a batch");
    // The binding reads leniently; re-creating the event strictly validates it against the schema.
    read = SdkCloudEvent.cloneWith(parsed, {}, true);
  } catch (error) {
    const detail = (error as { errors?: unknown }).errors;
    throw new Error(`not a valid CloudEvent (${event.type} ${event.id}): ${(error as Error).message}${detail === undefined ? "" : ` ${JSON.stringify(detail)}`}`, { cause: error });
  }
  for (const [name, value] of Object.entries(attributes)) {
    if (read[name] !== value) throw new Error(`CloudEvent ${event.id}: attribute ${name} reads back as ${JSON.stringify(read[name])}, not ${JSON.stringify(value)}`);
  }
  if (JSON.stringify(read.data) !== body) throw new Error(`CloudEvent ${event.id}: data does not read back unchanged`);
}
