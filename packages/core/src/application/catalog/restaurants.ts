import { type Result, err, ok } from "../../domain/result.js";
import { DEFAULT_DELIVERY_RADIUS_KM, type RestaurantProfile, isOpen } from "../../domain/restaurant.js";
import type { Restaurant } from "../../ports/catalog.js";
import type { Principal } from "../../ports/principal.js";
import { requireRole } from "../common/access.js";
import { type Forbidden, type NotFound, type ValidationFailed, notFound } from "../common/application.errors.js";
import type { UseCaseContext } from "../common/use-case-context.js";
import { type RestaurantExists, restaurantExists } from "./catalog.errors.js";
import { applyPatch, parseNewRestaurant, parseRestaurantPatch } from "./restaurant-input.js";

/** The profile as listed: with whether it takes orders at `now`. */
export const listed = (profile: RestaurantProfile, now: Date): Restaurant => ({ ...profile, open: isOpen(profile, now) });

/**
 * Whether the principal manages the restaurant: its own staff, admins and the system. Anyone else is told
 * NOT_FOUND rather than FORBIDDEN, so staff cannot probe which other restaurants exist.
 */
export const managesRestaurant = (principal: Principal, restaurantId: string): boolean =>
  principal.role === "admin" || principal.role === "system" || (principal.role === "restaurant" && principal.restaurantId === restaurantId);

/** An admin adds a restaurant; it takes orders within its hours once a menu is published. */
export async function createRestaurant(
  ctx: UseCaseContext,
  principal: Principal,
  input: unknown,
): Promise<Result<Restaurant, Forbidden | ValidationFailed | RestaurantExists>> {
  const role = requireRole(principal, "admin", "system");
  if (!role.ok) return role;
  const parsed = parseNewRestaurant(input);
  if (!parsed.ok) return parsed;
  const { id, closedNow, location, deliveryRadiusKm, ...fields } = parsed.value;
  const profile: RestaurantProfile = {
    ...fields,
    id: id ?? ctx.ids.next(),
    location: { lat: location.lat, lng: location.lng },
    closedNow: closedNow ?? false,
    deliveryRadiusKm: deliveryRadiusKm ?? DEFAULT_DELIVERY_RADIUS_KM,
  };
  return ctx.uow.run(principal, async (tx) => {
    if ((await tx.catalog.restaurant(profile.id)) !== null) return err(restaurantExists(profile.id));
    await tx.catalog.saveRestaurant(profile);
    return ok(listed(profile, ctx.clock.now()));
  });
}

/**
 * Its staff or an admin change a restaurant's details, hours or `closedNow`; placement reads the profile in
 * its own transaction, so the change holds for the next order on every instance.
 */
export async function updateRestaurant(
  ctx: UseCaseContext,
  principal: Principal,
  command: { readonly restaurantId: string; readonly change: unknown },
): Promise<Result<Restaurant, Forbidden | NotFound | ValidationFailed>> {
  const role = requireRole(principal, "restaurant", "admin", "system");
  if (!role.ok) return role;
  if (!managesRestaurant(principal, command.restaurantId)) return err(notFound("restaurant", command.restaurantId));
  const parsed = parseRestaurantPatch(command.change);
  if (!parsed.ok) return parsed;
  return ctx.uow.run(principal, async (tx) => {
    const current = await tx.catalog.restaurant(command.restaurantId);
    if (current === null) return err(notFound("restaurant", command.restaurantId));
    const next = applyPatch(current, parsed.value);
    await tx.catalog.saveRestaurant(next);
    return ok(listed(next, ctx.clock.now()));
  });
}
