import type { LatLng } from "./geo.js";
import type { Money } from "./money.js";
import type { CancelReason, OrderLine, OrderStatus } from "./order.js";

/** A party that receives or returns money in the saga. */
export type PayoutParty = "restaurant" | "courier";

/** The payload of every event type on the order topic. */
export interface EventDataMap {
  "order.placed": {
    customerId: string;
    restaurantId: string;
    lines: OrderLine[];
    total: Money;
    menuVersion: number;
    deliveryAddress: DeliveryAddress;
  };
  "payment.captured": { amount: Money; paymentId: string };
  "payment.declined": { reason: string };
  "order.confirmed": { restaurantId: string };
  "order.preparing": { restaurantId: string };
  "order.ready": { restaurantId: string };
  "courier.assigned": { courierId: string; offerId: string };
  "courier.unassigned": { courierId: string };
  "order.picked_up": { courierId: string };
  "order.delivered": { courierId: string };
  "order.cancelled": { reason: CancelReason; from: OrderStatus };
  "payment.refunded": { amount: Money; paymentId: string };
  "payout.paid": { party: PayoutParty; partyId: string; amount: Money; payoutId: string };
  "saga.completed": Record<string, never>;
  "saga.compensated": { reason: string };
  "saga.failed": { reason: string };
}

export type EventType = keyof EventDataMap;

export const EVENT_TYPES = [
  "order.placed",
  "payment.captured",
  "payment.declined",
  "order.confirmed",
  "order.preparing",
  "order.ready",
  "courier.assigned",
  "courier.unassigned",
  "order.picked_up",
  "order.delivered",
  "order.cancelled",
  "payment.refunded",
  "payout.paid",
  "saga.completed",
  "saga.compensated",
  "saga.failed",
] as const satisfies readonly EventType[];

/** Something that happened to one order, as the domain states it (no transport metadata). */
export interface DomainEvent<T extends EventType = EventType> {
  readonly type: T;
  readonly orderId: string;
  readonly at: string;
  readonly data: EventDataMap[T];
}

/** Any domain event, discriminated by `type`. */
export type AnyDomainEvent = { [T in EventType]: DomainEvent<T> }[EventType];

export const domainEvent = <T extends EventType>(
  type: T,
  orderId: string,
  at: string,
  data: EventDataMap[T],
): DomainEvent<T> => ({ type, orderId, at, data });

export const isEventType = (value: string): value is EventType => (EVENT_TYPES as readonly string[]).includes(value);

/** Where an order is delivered to. */
export interface DeliveryAddress extends LatLng {
  readonly line1?: string;
}
