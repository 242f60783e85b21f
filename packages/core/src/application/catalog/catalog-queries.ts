import type { LatLng } from "../../domain/geo.js";
import { isValidLatLng } from "../../domain/geo.js";
import { type Result, err, ok } from "../../domain/result.js";
import type { Restaurant } from "../../ports/catalog.js";
import type { Principal } from "../../ports/principal.js";
import { type ValidationFailed, validationFailed } from "../common/application.errors.js";
import type { UseCaseContext } from "../common/use-case-context.js";
import { listed } from "./restaurants.js";

/** A restaurant search around a point. */
/**
 * A search for restaurants. Its fields are the HTTP query parameters of `GET /v1/restaurants` (`lat`, `lng`, `q`,
 * `radius_km`, `open_now`, `limit`), written the TypeScript way.
 */
export interface NearbySearch {
  readonly point: LatLng;
  /** `radius_km`: default 5 km, at most 50. */
  readonly radiusKm?: number;
  /** `q`: words matched against name, cuisine and dish names (each word a prefix). */
  readonly q?: string;
  /** `open_now`: only restaurants open now, by their hours in their time zone and not paused (default true). */
  readonly openNow?: boolean;
  /** `limit`: default 20, at most 100. */
  readonly limit?: number;
}

/** A restaurant with its distance from the search point. */
export type NearbyRestaurant = Restaurant & { readonly distanceKm: number };

/**
 * Restaurants near a point, any principal may ask: nearest first, or with a query best match first (text
 * score over one plus the distance, so a name match a little further away beats a dish match next door).
 */
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
  const query = search.q?.trim();
  const now = ctx.clock.now();
  const found = await ctx.uow.run(principal, (tx) =>
    tx.catalog.search({ point: search.point, radiusKm, limit, ...(query ? { query } : {}), ...(search.openNow === false ? {} : { openAt: now }) }),
  );
  return ok(found.map(({ textScore: _score, distanceKm, ...profile }) => ({ ...listed(profile, now), distanceKm })));
}
