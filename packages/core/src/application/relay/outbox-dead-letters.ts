import { encodeCloudEvent } from "../../messaging/cloud-event-codec.js";
import type { DeadLetter } from "../../ports/messaging.js";
import type { SetAsideRecord } from "../../ports/outbox.js";

/**
 * The name under which the admin dead-letter view lists outbox records the broker refused for good
 * (`GET /admin/dead-letters?subscription=outbox`); no subscription of the topology has it.
 */
export const OUTBOX_DEAD_LETTERS = "outbox";

const ID = /^outbox:(\d{1,15})$/;

/** A set-aside outbox record as a dead letter; its id is `outbox:<position>`. */
export const setAsideAsDeadLetter = (record: SetAsideRecord): DeadLetter => ({
  id: `outbox:${record.position}`,
  subscription: OUTBOX_DEAD_LETTERS,
  message: record.message,
  raw: encodeCloudEvent(record.message),
  reason: record.reason,
  attempts: 1,
  deadLetteredAt: record.setAsideAt,
});

/** The outbox position a dead-letter id names, or null when it is not an outbox dead letter. */
export function outboxPosition(deadLetterId: string): number | null {
  const match = ID.exec(deadLetterId);
  return match === null ? null : Number(match[1]);
}
