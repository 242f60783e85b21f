import type { AnyDomainEvent } from "../../domain/events.js";
import type { SagaOrderInput } from "../../domain/payment-saga.js";
import { type PayoutPolicy, splitPayout } from "../../domain/payment-saga-split.js";
import type { CloudEvent } from "../../messaging/cloud-event.js";

/** The order event types the payment saga reacts to (its subscription's filter). */
export const PAYMENT_SAGA_EVENT_TYPES = ["order.placed", "courier.assigned", "order.delivered", "order.cancelled"] as const;

/** Reads the saga's input from an order event, or null for an event the saga does not react to. */
export function sagaInputOf(event: AnyDomainEvent, message: CloudEvent, policy: PayoutPolicy, at: string): SagaOrderInput | null {
  const base = { orderId: event.orderId, at, messageId: message.id };
  switch (event.type) {
    case "order.placed": {
      const { customerId, restaurantId, total } = event.data;
      const correlationId = message.correlationid ?? event.orderId;
      return { type: event.type, ...base, customerId, restaurantId, amount: total, payouts: splitPayout(total, policy), correlationId };
    }
    case "courier.assigned":
    case "order.delivered":
      return { type: event.type, ...base, courierId: event.data.courierId };
    case "order.cancelled":
      return { type: event.type, ...base, reason: event.data.reason, foodMade: event.data.from === "ready" };
    default:
      return null;
  }
}
