import { DEAD_LETTER_ATTRIBUTE, SERVICE_DEAD_LETTER_PREFIX } from "./message-attributes.js";

/** What the adapter writes on a message it dead-letters itself. */
export interface DeadLetterRecord {
  readonly reason: string;
  readonly attempts: number;
  readonly at: string;
}

export const recordAttribute = (record: DeadLetterRecord): Record<string, string> => ({
  [DEAD_LETTER_ATTRIBUTE]: JSON.stringify(record),
});

/**
 * The record of a dead letter: the adapter's own, or, for a message the service's dead-letter policy forwarded
 * (no handler settled it in time), one built from the `CloudPubSubDeadLetterSource*` attributes.
 */
export function readRecord(attributes: Readonly<Record<string, string>>, publishTime: Date): DeadLetterRecord {
  const own = attributes[DEAD_LETTER_ATTRIBUTE];
  if (own !== undefined) {
    try {
      const parsed = JSON.parse(own) as Partial<DeadLetterRecord>;
      if (typeof parsed.reason === "string" && typeof parsed.attempts === "number" && typeof parsed.at === "string") {
        return { reason: parsed.reason, attempts: parsed.attempts, at: parsed.at };
      }
    } catch {
      // Fall through to the service's attributes.
    }
  }
  const attempts = Number(attributes[`${SERVICE_DEAD_LETTER_PREFIX}DeliveryCount`] ?? 0);
  return {
    // In the delivery policy's reason format, although the policy never saw it: the handler never settled it.
    reason: `failed ${attempts} deliveries: forwarded by the Pub/Sub dead-letter policy, the handler never settled it`,
    attempts,
    at: publishTime.toISOString(),
  };
}
