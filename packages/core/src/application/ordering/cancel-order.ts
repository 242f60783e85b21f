import type { OrderError } from "../../domain/order.errors.js";
import { type Order, cancel } from "../../domain/order.js";
import { type Result, err } from "../../domain/result.js";
import type { Principal } from "../../ports/principal.js";
import { requireRole } from "../shared/access.js";
import { type Forbidden, type NotFound, notFound } from "../shared/application.errors.js";
import { retryOnConflict, transact } from "../shared/transaction.js";
import { type UseCaseContext, apiMeta, nowIso } from "../shared/use-case-context.js";

/** What cancelling can fail with. */
export type CancelOrderError = Forbidden | NotFound | OrderError;

/**
 * A customer cancels their own order while it is placed, confirmed or preparing (else ORDER_INVALID_TRANSITION);
 * the saga refunds a captured charge on `order.cancelled`.
 */
export async function cancelOrder(ctx: UseCaseContext, principal: Principal, orderId: string): Promise<Result<Order, CancelOrderError>> {
  const role = requireRole(principal, "customer");
  if (!role.ok) return role;
  return retryOnConflict(() =>
    transact<Order, CancelOrderError>(ctx.uow, principal, async (tx) => {
      const order = await tx.orders.load(orderId);
      if (order === null || order.customerId !== principal.id) return err(notFound("order", orderId));
      const cancelled = await tx.orders.update(orderId, (o) => cancel(o, "customer_cancelled", nowIso(ctx)), apiMeta(orderId, principal.id));
      return cancelled.ok ? cancelled : err(cancelled.error.code === "ORDER_NOT_FOUND" ? notFound("order", orderId) : cancelled.error);
    }),
  );
}
