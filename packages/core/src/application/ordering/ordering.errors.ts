import { type DomainError, domainError } from "../../domain/result.js";

/** Stable codes for placing and cancelling orders (menu codes come from the domain's `MENU_*`). */
export const OrderingErrorCode = {
  /** The Idempotency-Key was used before with a different request. */
  IdempotencyKeyReused: "IDEMPOTENCY_KEY_REUSED",
  /** No Idempotency-Key was given. */
  IdempotencyKeyMissing: "IDEMPOTENCY_KEY_MISSING",
  /** The Idempotency-Key is longer than 255 characters. */
  IdempotencyKeyTooLong: "IDEMPOTENCY_KEY_TOO_LONG",
  RestaurantClosed: "RESTAURANT_CLOSED",
  /** The delivery address is beyond the restaurant's delivery radius. */
  DeliveryOutOfRange: "DELIVERY_OUT_OF_RANGE",
  /** The order's events would be larger than the configured broker accepts, so it could never be processed. */
  OrderTooLarge: "ORDER_TOO_LARGE",
} as const;

export type IdempotencyKeyReused = DomainError<"IDEMPOTENCY_KEY_REUSED">;
export type IdempotencyKeyMissing = DomainError<"IDEMPOTENCY_KEY_MISSING">;
export type IdempotencyKeyTooLong = DomainError<"IDEMPOTENCY_KEY_TOO_LONG">;
export type RestaurantClosed = DomainError<"RESTAURANT_CLOSED">;
export type DeliveryOutOfRange = DomainError<"DELIVERY_OUT_OF_RANGE">;
export type OrderTooLarge = DomainError<"ORDER_TOO_LARGE">;

/** The longest Idempotency-Key accepted (Stripe's limit). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

export const idempotencyKeyReused = (key: string): IdempotencyKeyReused =>
  domainError(OrderingErrorCode.IdempotencyKeyReused, `idempotency key ${key} was used with a different request`, { key });

export const idempotencyKeyMissing = (): IdempotencyKeyMissing =>
  domainError(OrderingErrorCode.IdempotencyKeyMissing, `an Idempotency-Key of 1..${MAX_IDEMPOTENCY_KEY_LENGTH} characters is required`);

export const idempotencyKeyTooLong = (length: number): IdempotencyKeyTooLong =>
  domainError(OrderingErrorCode.IdempotencyKeyTooLong, `the Idempotency-Key has ${length} characters; at most ${MAX_IDEMPOTENCY_KEY_LENGTH} are allowed`, {
    length,
    max: MAX_IDEMPOTENCY_KEY_LENGTH,
  });

export const restaurantClosed = (restaurantId: string): RestaurantClosed =>
  domainError(OrderingErrorCode.RestaurantClosed, `restaurant ${restaurantId} is not taking orders`, { restaurantId });

export const deliveryOutOfRange = (restaurantId: string, distanceKm: number, radiusKm: number): DeliveryOutOfRange =>
  domainError(
    OrderingErrorCode.DeliveryOutOfRange,
    `the delivery address is ${distanceKm.toFixed(1)} km from restaurant ${restaurantId}, which delivers within ${radiusKm} km`,
    { restaurantId, distanceKm: Math.round(distanceKm * 10) / 10, radiusKm },
  );

export const orderTooLarge = (bytes: number, maxBytes: number): OrderTooLarge =>
  domainError(
    OrderingErrorCode.OrderTooLarge,
    `this order's event would be ${bytes} bytes; the message broker accepts at most ${maxBytes}. Order fewer lines or shorter text.`,
    { bytes, maxBytes },
  );
