import { type DomainError, domainError } from "../../domain/result.js";

/** Stable codes for courier offer actions. */
export const OfferActionErrorCode = {
  /** The token is not the offer's current one, the offer is no longer open or expired, or the order moved on. */
  Stale: "OFFER_STALE",
} as const;

export type OfferStale = DomainError<"OFFER_STALE">;

export const offerStale = (offerId: string, why: string): OfferStale =>
  domainError(OfferActionErrorCode.Stale, `offer ${offerId} is no longer valid: ${why}`, { offerId });
