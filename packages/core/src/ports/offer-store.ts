import type { DomainError, Result } from "../domain/result.js";

export type OfferStatus = "open" | "accepted" | "declined" | "expired" | "withdrawn";

/** An offer of one order to one courier, guarded by a fencing token. */
export interface Offer {
  readonly id: string;
  readonly orderId: string;
  readonly restaurantId: string;
  readonly courierId: string;
  /** From a monotonic sequence: a later offer always has a greater token. */
  readonly token: number;
  readonly status: OfferStatus;
  readonly expiresAt: string;
  readonly createdAt: string;
}

export type OfferError = DomainError<"OFFER_STALE" | "OFFER_COURIER_BUSY" | "OFFER_ORDER_BUSY" | "OFFER_NOT_FOUND">;

/**
 * Courier offers. At most one open offer per courier and per order at any time, enforced
 * by the store itself (a unique constraint), not by callers checking first.
 */
export interface OfferStore {
  /**
   * Opens an offer with the next fencing token. Fails with OFFER_COURIER_BUSY when the courier holds an
   * open offer and OFFER_ORDER_BUSY when the order has one.
   */
  open(offer: { id: string; orderId: string; restaurantId: string; courierId: string; expiresAt: string; createdAt: string }): Promise<
    Result<Offer, OfferError>
  >;

  /** The offer, visible to its courier and to the system. */
  get(offerId: string): Promise<Offer | null>;

  /**
   * Moves an open offer to `to` only if `token` is its token, it is still open and, for `accepted`, not
   * expired at `now` (compare-and-set). Anything else is OFFER_STALE; an unknown id is OFFER_NOT_FOUND.
   */
  resolve(offerId: string, token: number, to: Exclude<OfferStatus, "open">, now: Date): Promise<Result<Offer, OfferError>>;

  /** The courier's open offers. */
  openForCourier(courierId: string): Promise<Offer[]>;

  /** Every offer ever made for the order, oldest first (to count and exclude tried couriers). */
  forOrder(orderId: string): Promise<Offer[]>;
}
