import { type LatLng, distanceKm } from "../domain/geo.js";
import type { MenuDocument } from "../domain/menu.js";
import type { Catalog, Restaurant } from "../ports/catalog.js";
import { copy } from "./in-memory-database.js";
import type { StoreContext } from "./store-context.js";
import { checkWrite, isPrivileged } from "./visibility.js";

/** Restaurants and menus in memory: readable by everyone, written by admin and system. */
export class InMemoryCatalog implements Catalog {
  constructor(private readonly ctx: StoreContext) {}

  async restaurant(id: string): Promise<Restaurant | null> {
    const row = this.ctx.txn.read("restaurants").get(id);
    return row ? copy(row.restaurant) : null;
  }

  async menu(restaurantId: string): Promise<MenuDocument | null> {
    const row = this.ctx.txn.read("restaurants").get(restaurantId);
    return row ? copy(row.menu) : null;
  }

  async nearby(search: {
    point: LatLng;
    radiusKm: number;
    query?: string;
    limit: number;
  }): Promise<(Restaurant & { readonly distanceKm: number })[]> {
    const query = search.query?.trim().toLowerCase() ?? "";
    return [...this.ctx.txn.read("restaurants").values()]
      .map(({ restaurant }) => ({ ...copy(restaurant), distanceKm: distanceKm(search.point, restaurant.location) }))
      .filter((r) => r.open && r.distanceKm <= search.radiusKm)
      .filter((r) => query === "" || r.name.toLowerCase().includes(query) || r.cuisine.toLowerCase().includes(query))
      .sort((a, b) => a.distanceKm - b.distanceKm)
      .slice(0, search.limit);
  }

  async upsert(restaurant: Restaurant, menu: MenuDocument): Promise<void> {
    checkWrite(isPrivileged(this.ctx.principal), "restaurants", this.ctx.principal);
    if (menu.restaurantId !== restaurant.id) throw new Error(`menu of ${menu.restaurantId} given for restaurant ${restaurant.id}`);
    this.ctx.txn.write("restaurants").set(restaurant.id, copy({ restaurant, menu }));
  }
}
