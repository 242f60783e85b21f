import { Buffer } from "node:buffer";
import { MessageParseError } from "@tiffin/core";

/** A message attribute as both SNS and SQS take it (Tiffin only sends strings). */
export interface StringAttribute {
  readonly DataType: "String";
  readonly StringValue: string;
}

/** SQS keeps at most 10 message attributes, and SNS raw delivery drops messages that carry more. */
export const MAX_ATTRIBUTES = 10;
/** Attributes beyond the budget travel as one JSON object under this name. */
export const PACKED_ATTRIBUTE = "ce_packed";
/** The dead-letter record (reason, attempts, time) a dead-lettered message carries. */
export const DEAD_LETTER_ATTRIBUTE = "tiffin_dead_letter";
/** The publisher leaves one slot free so a dead-lettered message can carry its record. */
const PUBLISH_BUDGET = MAX_ATTRIBUTES - 1;
/** SNS counts body plus every attribute's name, type and value against this. */
export const SNS_MAX_MESSAGE_BYTES = 262_144;

/**
 * Turns string attributes into at most `budget` message attributes, in the given order: the first ones travel as
 * they are (so `type` stays available to filter policies), the rest and any empty value (which SQS rejects)
 * go into one JSON attribute.
 */
export function packAttributes(
  attributes: Readonly<Record<string, string>>,
  budget: number = PUBLISH_BUDGET,
): Record<string, StringAttribute> {
  const entries = Object.entries(attributes);
  const fitsAsIs = entries.length <= budget && entries.every(([, value]) => value !== "");
  const single = fitsAsIs ? entries : entries.filter(([, value]) => value !== "").slice(0, budget - 1);
  const packed = Object.fromEntries(entries.filter((entry) => !single.includes(entry)));
  const result: Record<string, StringAttribute> = {};
  for (const [name, value] of single) result[name] = { DataType: "String", StringValue: value };
  if (Object.keys(packed).length > 0) result[PACKED_ATTRIBUTE] = { DataType: "String", StringValue: JSON.stringify(packed) };
  return result;
}

/** The string values of received message attributes, as they arrived (packed attribute included). */
export function receivedAttributes(
  attributes: Readonly<Record<string, { StringValue?: string | undefined }>> | undefined,
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value.StringValue !== undefined) result[name] = value.StringValue;
  }
  return result;
}

/** The CloudEvents attributes of a received message: the packed JSON merged back, the dead-letter record removed. */
export function unpackAttributes(received: Readonly<Record<string, string>>): Record<string, string> {
  const { [PACKED_ATTRIBUTE]: packed, [DEAD_LETTER_ATTRIBUTE]: _record, ...attributes } = received;
  if (packed === undefined) return attributes;
  let extra: unknown;
  try {
    extra = JSON.parse(packed);
  } catch (cause) {
    throw new MessageParseError(`attribute ${PACKED_ATTRIBUTE} is not JSON`, { cause });
  }
  if (typeof extra !== "object" || extra === null || Object.values(extra).some((v) => typeof v !== "string")) {
    throw new MessageParseError(`attribute ${PACKED_ATTRIBUTE} must be an object of strings`);
  }
  return { ...attributes, ...(extra as Record<string, string>) };
}

/** The size SNS charges for a message, to refuse oversized ones with a clear error before sending. */
export function snsMessageBytes(body: string, attributes: Readonly<Record<string, StringAttribute>>): number {
  let size = Buffer.byteLength(body, "utf8");
  for (const [name, value] of Object.entries(attributes)) {
    size += Buffer.byteLength(name) + Buffer.byteLength(value.DataType) + Buffer.byteLength(value.StringValue);
  }
  return size;
}
