import { type Result, err, ok } from "../../domain/result.js";
import type { Principal } from "../../ports/principal.js";
import type { OrderView, Page } from "../../ports/read-models.js";
import { canSeeOrder, requireRole } from "../common/access.js";
import { type Forbidden, type NotFound, type ValidationFailed, notFound, validationFailed } from "../common/application.errors.js";
import type { UseCaseContext } from "../common/use-case-context.js";

const MAX_PAGE = 100;

/**
 * The order view for its customer, its restaurant's staff, its courier or an admin; anyone else gets NOT_FOUND.
 * While a courier carries the order, `courierPosition` is their latest reported position.
 */
export async function getOrderView(ctx: UseCaseContext, principal: Principal, orderId: string): Promise<Result<OrderView, NotFound>> {
  const view = await ctx.uow.run(principal, (tx) => tx.views.getView(orderId));
  if (view === null || !canSeeOrder(principal, view)) return err(notFound("order", orderId));
  return ok(await ctx.tracking.track(view));
}

/** A customer's own orders, newest first, a page at a time (`nextCursor` null on the last page). */
export async function orderHistory(
  ctx: UseCaseContext,
  principal: Principal,
  page: { readonly limit?: number; readonly cursor?: string | null },
): Promise<Result<Page<OrderView>, Forbidden | ValidationFailed>> {
  const role = requireRole(principal, "customer");
  if (!role.ok) return role;
  const limit = page.limit ?? ctx.config.historyPageSize;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    return err(validationFailed(`limit must be an integer in 1..${MAX_PAGE}`, { field: "limit" }));
  }
  const result = await ctx.uow.run(principal, (tx) => tx.views.history(principal.id, { limit, cursor: page.cursor ?? null }));
  return ok(result);
}

/** The live board of a restaurant (active orders, oldest first), for that restaurant's staff and admins; NOT_FOUND when it does not exist. */
export async function restaurantBoard(
  ctx: UseCaseContext,
  principal: Principal,
  restaurantId: string,
): Promise<Result<OrderView[], Forbidden | NotFound>> {
  const role = requireRole(principal, "restaurant", "admin");
  if (!role.ok) return role;
  if (principal.role === "restaurant" && principal.restaurantId !== restaurantId) return err(notFound("restaurant", restaurantId));
  const board = await ctx.uow.run(principal, async (tx) => ((await tx.catalog.restaurant(restaurantId)) === null ? null : tx.views.board(restaurantId)));
  if (board === null) return err(notFound("restaurant", restaurantId));
  return ok(board.filter((view) => canSeeOrder(principal, view)));
}
