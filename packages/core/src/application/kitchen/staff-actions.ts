import { type OrderError, invalidTransition } from "../../domain/order.errors.js";
import { type Order, type OrderChange, cancel, markReady } from "../../domain/order.js";
import { type Result, err, ok } from "../../domain/result.js";
import { type Principal, SYSTEM_PRINCIPAL } from "../../ports/principal.js";
import { requireRole } from "../common/access.js";
import { type Forbidden, type NotFound, notFound } from "../common/application.errors.js";
import { changeOwnOrder } from "../common/change-own-order.js";
import type { UseCaseContext } from "../common/use-case-context.js";
import { acceptAndPrepare } from "./kitchen-transitions.js";
import { type OrderNotPaid, orderNotPaid } from "./kitchen.errors.js";

/** Which order of which restaurant staff act on (the route's `:rid` and `:id`). */
export interface KitchenTarget {
  readonly restaurantId: string;
  readonly orderId: string;
}

/** What a staff action can fail with. */
export type StaffActionError = Forbidden | NotFound | OrderNotPaid | OrderError;

/**
 * True once the payment saga captured the order's charge. Read from the saga, the source of truth, not from the
 * order view: a lagging or failing projection must not keep a kitchen from cooking a paid order. A captured charge
 * stays in the saga's `completed` steps (a later refund only follows a cancellation, which the order refuses to undo).
 */
async function chargeCaptured(ctx: UseCaseContext, orderId: string): Promise<boolean> {
  const saga = await ctx.uow.run(SYSTEM_PRINCIPAL, (tx) => tx.sagas.load(orderId));
  return saga?.completed.includes("charge") === true;
}

async function staffMove(
  ctx: UseCaseContext,
  principal: Principal,
  target: KitchenTarget,
  step: (order: Order, at: string) => Result<OrderChange, OrderError>,
  options: { requirePaid: boolean },
): Promise<Result<Order, StaffActionError>> {
  const role = requireRole(principal, "restaurant");
  if (!role.ok) return role;
  // Another restaurant's order, or staff acting for another restaurant, looks absent.
  if (principal.restaurantId !== target.restaurantId) return err(notFound("order", target.orderId));
  // Read as the system before the staff transaction (staff cannot see sagas), and used only after the ownership check.
  const paid = options.requirePaid ? await chargeCaptured(ctx, target.orderId) : true;
  return changeOwnOrder(
    ctx,
    principal,
    target.orderId,
    (order) => order.restaurantId === target.restaurantId,
    step,
    (order): Result<void, OrderNotPaid> => (paid ? ok(undefined) : err(orderNotPaid(order.id))),
  );
}

/**
 * Staff accept a paid order: it becomes `confirmed` and `preparing` at once (see `acceptAndPrepare`). An order
 * whose charge is not captured yet answers ORDER_NOT_PAID, so a kitchen never cooks an unpaid order.
 */
export const acceptOrder = (ctx: UseCaseContext, principal: Principal, target: KitchenTarget) =>
  staffMove(ctx, principal, target, acceptAndPrepare, { requirePaid: true });

/** Staff reject an order they have not accepted yet: it is cancelled (`restaurant_rejected`) and refunded. */
export const rejectOrder = (ctx: UseCaseContext, principal: Principal, target: KitchenTarget) =>
  staffMove(
    ctx,
    principal,
    target,
    (order, at) =>
      order.status === "placed" ? cancel(order, "restaurant_rejected", at) : err(invalidTransition(order.id, order.status, "reject")),
    { requirePaid: false },
  );

/** Staff mark the food ready for pickup; a pending automatic `kitchen.ready` timer then changes nothing. */
export const markOrderReady = (ctx: UseCaseContext, principal: Principal, target: KitchenTarget) =>
  staffMove(ctx, principal, target, markReady, { requirePaid: false });
