import type { Catalog, LatLng, MenuDocument, Restaurant } from "@tiffin/core";
import type { SqlExecutor } from "../sql/database.js";
import { json } from "./rows.js";

interface RestaurantRow {
  id: string;
  name: string;
  cuisine: string;
  city: string;
  lat: number;
  lng: number;
  open: boolean;
  distance_km?: number;
}

const toRestaurant = (r: RestaurantRow): Restaurant => ({
  id: r.id,
  name: r.name,
  cuisine: r.cuisine,
  city: r.city,
  location: { lat: Number(r.lat), lng: Number(r.lng) },
  open: r.open,
});

/** Restaurants and their menus (the menu tree as one JSON document). */
export class PostgresCatalog implements Catalog {
  constructor(private readonly tx: SqlExecutor) {}

  async restaurant(id: string): Promise<Restaurant | null> {
    const rows = await this.tx.query<RestaurantRow>("SELECT * FROM restaurants WHERE id = $1", [id]);
    return rows[0] ? toRestaurant(rows[0]) : null;
  }

  async menu(restaurantId: string): Promise<MenuDocument | null> {
    const rows = await this.tx.query<{ document: MenuDocument }>("SELECT document FROM menus WHERE restaurant_id = $1", [restaurantId]);
    return rows[0]?.document ?? null;
  }

  async nearby(search: { point: LatLng; radiusKm: number; query?: string; limit: number }): Promise<(Restaurant & { readonly distanceKm: number })[]> {
    const text = search.query?.trim() ? `%${search.query.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
    const rows = await this.tx.query<RestaurantRow>(
      `SELECT * FROM (
         SELECT r.*, distance_km($1, $2, r.lat, r.lng) AS distance_km FROM restaurants r
         WHERE r.open AND ($4::text IS NULL OR r.name ILIKE $4 OR r.cuisine ILIKE $4)) AS near
       WHERE distance_km <= $3 ORDER BY distance_km, id LIMIT $5`,
      [search.point.lat, search.point.lng, search.radiusKm, text, search.limit],
    );
    return rows.map((r) => ({ ...toRestaurant(r), distanceKm: Number(r.distance_km) }));
  }

  async upsert(restaurant: Restaurant, menu: MenuDocument): Promise<void> {
    await this.tx.query(
      `INSERT INTO restaurants (id, name, cuisine, city, lat, lng, open) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, cuisine = excluded.cuisine, city = excluded.city,
         lat = excluded.lat, lng = excluded.lng, open = excluded.open`,
      [restaurant.id, restaurant.name, restaurant.cuisine, restaurant.city, restaurant.location.lat, restaurant.location.lng, restaurant.open],
    );
    await this.tx.query(
      `INSERT INTO menus (restaurant_id, document) VALUES ($1, $2::jsonb)
       ON CONFLICT (restaurant_id) DO UPDATE SET document = excluded.document`,
      [restaurant.id, json(menu)],
    );
  }
}
