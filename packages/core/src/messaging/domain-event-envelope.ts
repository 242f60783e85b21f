import type { AnyDomainEvent, DomainEvent } from "../domain/events.js";
import { isEventType } from "../domain/events.js";
import { InfrastructureError, InfrastructureErrorCode } from "../ports/infrastructure.errors.js";
import type { CloudEvent, MessageMeta } from "./cloud-event.js";
import { payloadProblem } from "./event-payloads.js";

/**
 * Wraps a domain event in a CloudEvent. The id is derived from the order and its new version, so a
 * retried transaction that produces the same change produces the same message id (and the inbox dedupes it).
 */
export function toCloudEvent(event: DomainEvent, id: string, meta: MessageMeta): CloudEvent<DomainEvent["data"]> {
  return {
    specversion: "1.0",
    id,
    source: meta.source,
    type: event.type,
    time: event.at,
    subject: event.orderId,
    datacontenttype: "application/json",
    ...(meta.correlationId === undefined ? {} : { correlationid: meta.correlationId }),
    ...(meta.causationId === undefined ? {} : { causationid: meta.causationId }),
    ...(meta.tenant === undefined ? {} : { tenant: meta.tenant }),
    ...(meta.traceparent === undefined ? {} : { traceparent: meta.traceparent }),
    ...(meta.tracestate === undefined ? {} : { tracestate: meta.tracestate }),
    data: event.data,
  };
}

/** Deterministic message id for the `index`-th event of the change that produced order `version`. */
export const orderEventId = (orderId: string, version: number, index: number): string =>
  `${orderId}:${version}:${index}`;

/** Reads a domain event back out of a CloudEvent received from a broker (type already validated by the caller). */
export function fromCloudEvent(event: CloudEvent): AnyDomainEvent {
  if (event.subject === undefined) throw new Error(`event ${event.id} has no subject (order id)`);
  return { type: event.type, orderId: event.subject, at: event.time, data: event.data } as AnyDomainEvent;
}

/**
 * Reads the domain event out of a consumed message: null for a type this version does not know (a newer producer),
 * or throws a permanent error (the delivery policy dead-letters it at once) when it names no order or its payload
 * lacks what the type's handlers read.
 */
export function domainEventOf(message: CloudEvent): AnyDomainEvent | null {
  if (!isEventType(message.type)) return null;
  const refuse = (why: string) => new InfrastructureError(InfrastructureErrorCode.Unexpected, `message ${message.id} ${why}`, { transient: false });
  if (message.subject === undefined || message.subject === "") throw refuse("has no subject (order id)");
  const problem = payloadProblem(message.type, message.data);
  if (problem !== null) throw refuse(`(${message.type}) has a payload its handlers cannot read: ${problem}`);
  return fromCloudEvent(message);
}
