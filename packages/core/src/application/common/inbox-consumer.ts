import type { AnyDomainEvent } from "../../domain/events.js";
import { isEventType } from "../../domain/events.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import { fromCloudEvent } from "../../messaging/domain-event-envelope.js";
import { InfrastructureError, InfrastructureErrorCode } from "../../ports/infrastructure.errors.js";
import type { Logger } from "../../ports/logger.js";
import type { MessageHandler } from "../../ports/messaging.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { TransactionStores, UnitOfWork } from "../../ports/unit-of-work.js";
import { retryOnConflict } from "./transaction.js";

/** Reacts to one order event inside the transaction that also records it in the inbox. */
export type TransactionalEventHandler = (tx: TransactionStores, event: AnyDomainEvent, message: CloudEvent) => Promise<void>;

/** Reads the domain event out of a message, or throws a permanent error so the broker dead-letters it at once. */
export function domainEventOf(message: CloudEvent): AnyDomainEvent | null {
  if (!isEventType(message.type)) return null;
  if (message.subject === undefined || message.subject === "") {
    throw new InfrastructureError(InfrastructureErrorCode.Unexpected, `message ${message.id} has no subject (order id)`, {
      transient: false,
    });
  }
  return fromCloudEvent(message);
}

/**
 * Wraps a handler as a consumer: the inbox row (`consumer`, message id) and the handler's writes commit in one
 * transaction, so a redelivered message is acknowledged without effects. Unknown event types are acknowledged
 * and ignored (a newer producer); optimistic-concurrency conflicts are retried here before the broker's backoff.
 */
export function inboxConsumer(
  uow: UnitOfWork,
  consumer: string,
  handle: TransactionalEventHandler,
  logger: Logger,
): MessageHandler {
  return async (message) => {
    const event = domainEventOf(message);
    if (event === null) {
      logger.warn("ignoring unknown event type", { consumer, type: message.type, messageId: message.id });
      return;
    }
    await retryOnConflict(() =>
      uow.run(SYSTEM_PRINCIPAL, async (tx) => {
        if (!(await tx.inbox.record(consumer, message.id))) return;
        await handle(tx, event, message);
      }),
    );
  };
}
