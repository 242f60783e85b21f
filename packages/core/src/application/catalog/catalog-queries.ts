import type { LatLng } from "../../domain/geo.js";
import { isValidLatLng } from "../../domain/geo.js";
import type { MenuDocument } from "../../domain/menu.js";
import { type Result, err, ok } from "../../domain/result.js";
import type { Restaurant } from "../../ports/catalog.js";
import type { Principal } from "../../ports/principal.js";
import { type NotFound, type ValidationFailed, notFound, validationFailed } from "../shared/application.errors.js";
import type { UseCaseContext } from "../shared/use-case-context.js";

/** A restaurant search around a point. */
export interface NearbySearch {
  readonly point: LatLng;
  /** Default 5 km, at most 50. */
  readonly radiusKm?: number;
  readonly query?: string;
  /** Default 20, at most 100. */
  readonly limit?: number;
}

/** A restaurant with its distance from the search point. */
export type NearbyRestaurant = Restaurant & { readonly distanceKm: number };

/** Open restaurants near a point, nearest first, optionally matching a text; any principal may ask. */
export async function nearbyRestaurants(
  ctx: UseCaseContext,
  principal: Principal,
  search: NearbySearch,
): Promise<Result<NearbyRestaurant[], ValidationFailed>> {
  if (typeof search.point !== "object" || search.point === null || !isValidLatLng(search.point)) {
    return err(validationFailed("lat and lng must be valid coordinates", { field: "point" }));
  }
  const radiusKm = search.radiusKm ?? 5;
  const limit = search.limit ?? 20;
  if (!(radiusKm > 0 && radiusKm <= 50)) return err(validationFailed("radius_km must be in (0, 50]", { field: "radiusKm" }));
  if (!(Number.isInteger(limit) && limit >= 1 && limit <= 100)) return err(validationFailed("limit must be in 1..100", { field: "limit" }));
  const query = search.query?.trim();
  const found = await ctx.uow.run(principal, (tx) =>
    tx.catalog.nearby({ point: search.point, radiusKm, limit, ...(query ? { query } : {}) }),
  );
  return ok(found);
}

/** A restaurant's menu tree with prices; any principal may ask. */
export async function getMenu(ctx: UseCaseContext, principal: Principal, restaurantId: string): Promise<Result<MenuDocument, NotFound>> {
  const menu = await ctx.uow.run(principal, (tx) => tx.catalog.menu(restaurantId));
  return menu === null ? err(notFound("menu", restaurantId)) : ok(menu);
}
