import type { LatLng } from "../domain/geo.js";
import type { MenuDocument } from "../domain/menu.js";

/** A restaurant as listed to customers. */
export interface Restaurant {
  readonly id: string;
  readonly name: string;
  readonly cuisine: string;
  readonly city: string;
  readonly location: LatLng;
  readonly open: boolean;
}

/** Restaurants and their menus. Readable by every principal; written by seeding and admins. */
export interface Catalog {
  restaurant(id: string): Promise<Restaurant | null>;
  menu(restaurantId: string): Promise<MenuDocument | null>;
  /** Open restaurants within `radiusKm` of `point`, nearest first, optionally matching `query` in name or cuisine. */
  nearby(search: {
    point: LatLng;
    radiusKm: number;
    query?: string;
    limit: number;
  }): Promise<(Restaurant & { readonly distanceKm: number })[]>;
  /** Creates or replaces a restaurant and its menu. */
  upsert(restaurant: Restaurant, menu: MenuDocument): Promise<void>;
}
