import { type DomainError, domainError } from "./result.js";

/** Stable codes for order lifecycle failures. */
export const OrderErrorCode = {
  InvalidTransition: "ORDER_INVALID_TRANSITION",
  CourierAlreadySet: "ORDER_COURIER_ALREADY_SET",
  NotFound: "ORDER_NOT_FOUND",
  VersionConflict: "ORDER_VERSION_CONFLICT",
  AlreadyExists: "ORDER_ALREADY_EXISTS",
} as const;
export type OrderErrorCode = (typeof OrderErrorCode)[keyof typeof OrderErrorCode];

export type OrderError = DomainError<OrderErrorCode>;

export const invalidTransition = (orderId: string, from: string, action: string): OrderError =>
  domainError(OrderErrorCode.InvalidTransition, `order ${orderId} cannot ${action} while ${from}`, {
    orderId,
    from,
    action,
  });
