import { type DomainError, domainError } from "../../domain/result.js";

/** Stable codes for placing and cancelling orders (menu codes come from the domain's `MENU_*`). */
export const OrderingErrorCode = {
  /** The Idempotency-Key was used before with a different request. */
  IdempotencyKeyReused: "IDEMPOTENCY_KEY_REUSED",
  /** No Idempotency-Key was given. */
  IdempotencyKeyMissing: "IDEMPOTENCY_KEY_MISSING",
  RestaurantClosed: "RESTAURANT_CLOSED",
} as const;

export type IdempotencyKeyReused = DomainError<"IDEMPOTENCY_KEY_REUSED">;
export type IdempotencyKeyMissing = DomainError<"IDEMPOTENCY_KEY_MISSING">;
export type RestaurantClosed = DomainError<"RESTAURANT_CLOSED">;

export const idempotencyKeyReused = (key: string): IdempotencyKeyReused =>
  domainError(OrderingErrorCode.IdempotencyKeyReused, `idempotency key ${key} was used with a different request`, { key });

export const idempotencyKeyMissing = (): IdempotencyKeyMissing =>
  domainError(OrderingErrorCode.IdempotencyKeyMissing, "an Idempotency-Key of 1..255 characters is required");

export const restaurantClosed = (restaurantId: string): RestaurantClosed =>
  domainError(OrderingErrorCode.RestaurantClosed, `restaurant ${restaurantId} is not taking orders`, { restaurantId });
