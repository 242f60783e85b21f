import type { OrderError } from "../../domain/order.errors.js";
import type { Order, OrderChange } from "../../domain/order.js";
import { type Result, err } from "../../domain/result.js";
import type { Principal } from "../../ports/principal.js";
import { type NotFound, notFound } from "./application.errors.js";
import { retryOnConflict, transact } from "./transaction.js";
import { type UseCaseContext, apiMeta } from "./use-case-context.js";

/**
 * Applies an order transition on behalf of a principal who must own the order (by `owns`), in one transaction
 * as that principal, retried on version conflicts. Someone else's order, or a missing one, is NOT_FOUND, never
 * FORBIDDEN; `guard` may refuse before the change with its own coded error.
 */
export function changeOwnOrder<E = never>(
  ctx: UseCaseContext,
  principal: Principal,
  orderId: string,
  owns: (order: Order) => boolean,
  change: (order: Order, at: string) => Result<OrderChange, OrderError>,
  guard?: (order: Order) => Result<void, E>,
): Promise<Result<Order, NotFound | OrderError | E>> {
  return retryOnConflict(() =>
    transact<Order, NotFound | OrderError | E>(ctx.uow, principal, async (tx) => {
      const order = await tx.orders.load(orderId);
      if (order === null || !owns(order)) return err(notFound("order", orderId));
      const allowed = guard?.(order);
      if (allowed !== undefined && !allowed.ok) return allowed;
      const at = (await tx.clock.now()).toISOString();
      const changed = await tx.orders.update(orderId, (o) => change(o, at), apiMeta(orderId, principal.id));
      return changed.ok ? changed : err(changed.error.code === "ORDER_NOT_FOUND" ? notFound("order", orderId) : changed.error);
    }),
  );
}
