import { InfrastructureError, InfrastructureErrorCode } from "@tiffin/core";

/** The SQS queue and dead-letter queue names of one subscription. */
export interface QueueNames {
  readonly queue: string;
  readonly dlq: string;
}

const NOT_ALLOWED = /[^A-Za-z0-9_-]/g;
const MAX_QUEUE_NAME = 80;

/** The SNS topic name of a logical topic: `tiffin.order-events` becomes `tiffin-order-events` (SNS allows no dots). */
export function topicName(topic: string, fifo: boolean): string {
  return `${topic.replace(NOT_ALLOWED, "-")}${fifo ? ".fifo" : ""}`;
}

/** `${prefix}${subscription}` and its `-dlq`, with `.fifo` when needed; SQS allows 80 characters. */
export function queueNames(prefix: string, subscription: string, fifo: boolean): QueueNames {
  const base = `${prefix}${subscription.replace(NOT_ALLOWED, "-")}`;
  const suffix = fifo ? ".fifo" : "";
  const names = { queue: `${base}${suffix}`, dlq: `${base}-dlq${suffix}` };
  if (names.dlq.length > MAX_QUEUE_NAME) {
    throw new InfrastructureError(
      InfrastructureErrorCode.Misconfigured,
      `subscription "${subscription}" makes the queue name ${names.dlq} longer than ${MAX_QUEUE_NAME} characters`,
      { transient: false },
    );
  }
  return names;
}
