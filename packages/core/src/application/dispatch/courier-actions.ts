import { type LatLng, isValidLatLng } from "../../domain/geo.js";
import type { OrderError } from "../../domain/order.errors.js";
import { type Order, type OrderChange, deliver, pickUp } from "../../domain/order.js";
import { type Result, err, ok } from "../../domain/result.js";
import type { Principal } from "../../ports/principal.js";
import { requireRole } from "../common/access.js";
import { type Forbidden, type NotFound, type ValidationFailed, notFound, validationFailed } from "../common/application.errors.js";
import { changeOwnOrder } from "../common/change-own-order.js";
import type { UseCaseContext } from "../common/use-case-context.js";

/** What a courier's order action can fail with. */
export type CourierOrderError = Forbidden | NotFound | OrderError;

async function moveAssigned(
  ctx: UseCaseContext,
  principal: Principal,
  orderId: string,
  step: (order: Order, courierId: string, at: string) => Result<OrderChange, OrderError>,
): Promise<Result<Order, CourierOrderError>> {
  const role = requireRole(principal, "courier");
  if (!role.ok) return role;
  return changeOwnOrder(ctx, principal, orderId, (order) => order.courierId === principal.id, (order, at) => step(order, principal.id, at));
}

/** The assigned courier collected the food (order must be `ready`). */
export const markPickedUp = (ctx: UseCaseContext, principal: Principal, orderId: string) =>
  moveAssigned(ctx, principal, orderId, pickUp);

/** The assigned courier handed the food over (order must be `picked_up`); the saga then pays out. */
export const markDelivered = (ctx: UseCaseContext, principal: Principal, orderId: string) =>
  moveAssigned(ctx, principal, orderId, deliver);

/** A courier goes on or off shift; only available couriers are offered orders. */
export async function setAvailability(
  ctx: UseCaseContext,
  principal: Principal,
  available: boolean,
): Promise<Result<{ available: boolean }, Forbidden | NotFound | ValidationFailed>> {
  const role = requireRole(principal, "courier");
  if (!role.ok) return role;
  if (typeof available !== "boolean") return err(validationFailed("available must be a boolean", { field: "available" }));
  const found = await ctx.uow.run(principal, (tx) => tx.couriers.setAvailability(principal.id, available));
  return found ? ok({ available }) : err(notFound("courier", principal.id));
}

/**
 * A courier reports where they are: one write to the positions store, which dispatch ranks from and order
 * tracking reads (the order views are not touched, so a report costs no transaction across orders).
 */
export async function updateLocation(
  ctx: UseCaseContext,
  principal: Principal,
  position: LatLng,
): Promise<Result<{ position: LatLng; at: string }, Forbidden | NotFound | ValidationFailed>> {
  const role = requireRole(principal, "courier");
  if (!role.ok) return role;
  if (typeof position !== "object" || position === null || !isValidLatLng(position)) {
    return err(validationFailed("position needs lat in -90..90 and lng in -180..180", { field: "position" }));
  }
  const point = { lat: position.lat, lng: position.lng };
  const now = ctx.clock.now();
  const city = await ctx.courierCities.of(principal, now.getTime());
  if (city === null) return err(notFound("courier", principal.id));
  const at = now.toISOString();
  await ctx.positions.record({ courierId: principal.id, city, position: point, at });
  ctx.tracking.forget(principal.id);
  return ok({ position: point, at });
}
