/**
 * The two shapes a consumer of the order topic may take; every consumer is built with one of them, so the inbox
 * (at-most-once effects under at-least-once delivery) is handled in one place:
 *
 * 1. `inboxConsumer` — "record the inbox row in the transaction of the effects": the handler only writes to the
 *    database, so its writes and the inbox row commit together and a redelivery changes nothing. Dispatch,
 *    projections and the payment saga's transitions (the saga then drives its provider step, whose outcome it
 *    persists itself and its recovery sweep re-issues).
 * 2. `gatewayConsumer` — "call the gateway, then record the inbox row with the outcome": the handler must ask an
 *    outside party first (the restaurant, for the kitchen). The call is made outside any transaction (the gateway is
 *    idempotent per order, and a transaction may be retried); its answer and the inbox row then commit together.
 */
import type { AnyDomainEvent } from "../../domain/events.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";
import { domainEventOf } from "../../messaging/domain-event-envelope.js";
import type { Logger } from "../../ports/logger.js";
import type { MessageHandler } from "../../ports/messaging.js";
import { SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import type { TransactionStores, UnitOfWork } from "../../ports/unit-of-work.js";
import { retryOnConflict } from "./transaction.js";

/** Reacts to one order event inside the transaction that also records it in the inbox. */
export type TransactionalEventHandler = (tx: TransactionStores, event: AnyDomainEvent, message: CloudEvent) => Promise<void>;

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
    await recordWithInbox(uow, consumer, message.id, (tx) => handle(tx, event, message));
  };
}

/**
 * The inbox step both shapes share: in one transaction (retried on a concurrency conflict), record the inbox row
 * (`consumer`, message id) and, only when the row is new, run `effects`. Resolves to what `effects` returned, or
 * null for a message this consumer already handled. The payment saga uses it directly: its effects are the saga's
 * transition, and it drives the provider step the transition returns after the commit.
 */
export function recordWithInbox<T>(uow: UnitOfWork, consumer: string, messageId: string, effects: (tx: TransactionStores) => Promise<T>): Promise<T | null> {
  return retryOnConflict(() =>
    uow.run(SYSTEM_PRINCIPAL, async (tx) => ((await tx.inbox.record(consumer, messageId)) ? effects(tx) : null)),
  );
}

/** The gateway side of a `gatewayConsumer`: what to ask (null: nothing to do), and how to record the answer. */
export interface GatewayStep<E extends AnyDomainEvent, A> {
  /** Event types this consumer reacts to; others are acknowledged and ignored. */
  readonly eventTypes: readonly E["type"][];
  /** Calls the gateway outside any transaction; null when the event needs no call (e.g. already decided). */
  ask(event: E, message: CloudEvent): Promise<A | null>;
  /** Writes the answer; runs in the transaction that records the inbox row, and only if the row is new. */
  record(tx: TransactionStores, event: E, answer: A, message: CloudEvent): Promise<void>;
}

/**
 * Wraps a gateway step as a consumer: ask the gateway, then record the inbox row (`consumer`, message id) and the
 * answer in one transaction. A redelivery may ask the gateway again (it is idempotent) but records nothing twice.
 */
export function gatewayConsumer<E extends AnyDomainEvent, A>(uow: UnitOfWork, consumer: string, step: GatewayStep<E, A>): MessageHandler {
  return async (message) => {
    const event = domainEventOf(message);
    if (event === null || !(step.eventTypes as readonly string[]).includes(event.type)) return;
    const answer = await step.ask(event as E, message);
    if (answer === null) return;
    await recordWithInbox(uow, consumer, message.id, (tx) => step.record(tx, event as E, answer, message));
  };
}
