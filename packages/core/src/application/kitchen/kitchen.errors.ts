import { type DomainError, domainError } from "../../domain/result.js";

/** Stable codes for restaurant staff actions. */
export const KitchenErrorCode = {
  /** Staff tried to accept an order whose charge has not been captured yet. */
  NotPaid: "ORDER_NOT_PAID",
} as const;

export type OrderNotPaid = DomainError<"ORDER_NOT_PAID">;

export const orderNotPaid = (orderId: string): OrderNotPaid =>
  domainError(KitchenErrorCode.NotPaid, `order ${orderId} is not paid yet`, { orderId });
