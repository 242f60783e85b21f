/** Durable timer kinds of courier dispatch. */
export const DispatchTimer = {
  /** An offer's time is up: expire it and offer the order to the next candidate. */
  OfferExpire: "offer.expire",
  /** Nobody was free: look again. */
  Retry: "dispatch.retry",
} as const;

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
