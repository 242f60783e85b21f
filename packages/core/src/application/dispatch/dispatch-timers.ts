/** Durable timer kinds of courier dispatch. */
export const DispatchTimer = {
  /** An offer's time is up: expire it and offer the order to the next candidate. */
  OfferExpire: "offer.expire",
  /** Nobody was free: look again. */
  Retry: "dispatch.retry",
  /** The assigned courier's time to pick up may be up: release them and offer the order again. */
  PickupDeadline: "dispatch.pickup_deadline",
} as const;

/** Payload of `dispatch.pickup_deadline`. */
export interface PickupDeadlinePayload {
  readonly orderId: string;
  readonly courierId: string;
  readonly offerId: string;
  /** When the courier accepted. */
  readonly assignedAt: string;
}

/** The dedup key of one check of a courier's pickup deadline (a later check gets another `dueAt`). */
export const pickupDeadlineKey = (offerId: string, dueAt: string): string => `${DispatchTimer.PickupDeadline}:${offerId}:${dueAt}`;

/** Payload of `offer.expire`. */
export interface OfferExpirePayload {
  readonly offerId: string;
  readonly orderId: string;
  readonly token: number;
}

/** Payload of `dispatch.retry`. */
export interface DispatchRetryPayload {
  readonly orderId: string;
  readonly attempt: number;
}

/** The dedup key of an offer's expiry timer (cancelled when the offer is answered). */
export const offerExpireKey = (offerId: string): string => `${DispatchTimer.OfferExpire}:${offerId}`;
