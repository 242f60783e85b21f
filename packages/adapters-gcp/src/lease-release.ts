import type { Message } from "@google-cloud/pubsub";

/** The parts of the client's Message that releasing a lease touches (pinned with @google-cloud/pubsub ~5.3). */
interface LeasedMessage {
  _handled: boolean;
  _handledPromise?: { resolve(): void };
  _subscriber?: { _inventory?: { remove(message: Message): void } };
}

/** True when this client version exposes what `redeliverAfter` needs; checked when a consumer starts. */
export function canRedeliverAfter(message: Message): boolean {
  const leased = message as unknown as LeasedMessage;
  return typeof leased._handled === "boolean" && typeof leased._subscriber?._inventory?.remove === "function";
}

/**
 * Hands a message back to be redelivered in `seconds`: ModifyAckDeadline(seconds) through the client's own batcher,
 * then out of the client's lease management (no further extension, its flow-control slot freed).
 *
 * The Node client has no public "nack with delay" (its delay parameter was removed, googleapis/nodejs-pubsub#668)
 * and no `drop` as the Python client has, so this reaches into two fields of its Message; `canRedeliverAfter`
 * guards them and the adapter's contract tests fail if a client upgrade moves them.
 */
export function redeliverAfter(message: Message, seconds: number): void {
  if (seconds <= 0) {
    message.nack();
    return;
  }
  message.modAck(seconds);
  const leased = message as unknown as LeasedMessage;
  leased._handled = true;
  leased._handledPromise?.resolve();
  leased._subscriber?._inventory?.remove(message);
}
