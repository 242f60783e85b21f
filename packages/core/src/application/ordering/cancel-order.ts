import type { OrderError } from "../../domain/order.errors.js";
import { type Order, cancel } from "../../domain/order.js";
import type { Result } from "../../domain/result.js";
import type { Principal } from "../../ports/principal.js";
import { requireRole } from "../common/access.js";
import type { Forbidden, NotFound } from "../common/application.errors.js";
import { changeOwnOrder } from "../common/change-own-order.js";
import type { UseCaseContext } from "../common/use-case-context.js";

/** What cancelling can fail with. */
export type CancelOrderError = Forbidden | NotFound | OrderError;

/**
 * A customer cancels their own order while it is placed, confirmed or preparing (else ORDER_INVALID_TRANSITION);
 * the saga refunds a captured charge on `order.cancelled`.
 */
export async function cancelOrder(ctx: UseCaseContext, principal: Principal, orderId: string): Promise<Result<Order, CancelOrderError>> {
  const role = requireRole(principal, "customer");
  if (!role.ok) return role;
  return changeOwnOrder(ctx, principal, orderId, (order) => order.customerId === principal.id, (order, at) =>
    cancel(order, "customer_cancelled", at),
  );
}
