/** The one topic that carries every order event. */
export const ORDER_EVENTS_TOPIC = "tiffin.order-events";

/** One subscription per consumer; any number of worker processes share each. */
export const SUBSCRIPTIONS = {
  paymentSaga: "payment-saga",
  kitchen: "kitchen",
  courierAssignment: "courier-assignment",
  projections: "projections",
  notifications: "notifications",
  analytics: "analytics",
} as const;

export type SubscriptionName = (typeof SUBSCRIPTIONS)[keyof typeof SUBSCRIPTIONS];

/** CloudEvents `source` of what each host writes. */
export const EVENT_SOURCES = { api: "tiffin/api", worker: "tiffin/worker" } as const;
