import {
  type Catalog,
  type CatalogHit,
  type CatalogSearch,
  type ItemStock,
  MAX_QUERY_WORDS,
  type MenuDocument,
  type MenuStamp,
  type PortionNeed,
  type PublishedMenu,
  type Reservation,
  type RestaurantProfile,
  type StockUpdate,
  type WeeklyHours,
  entryIds,
  publishedOptionSwitches,
  searchWords,
  weekIntervals,
} from "@tiffin/core";
import type { SqlExecutor } from "../sql/database.js";
import { iso, json, num } from "./rows.js";

interface RestaurantRow {
  id: string;
  name: string;
  cuisine: string;
  city: string;
  lat: number;
  lng: number;
  time_zone: string;
  hours: WeeklyHours;
  prep_minutes: number;
  closed_now: boolean;
  delivery_radius_km: number;
  distance_km?: number;
  text_score?: number;
}

const PROFILE_COLUMNS = "id, name, cuisine, city, lat, lng, time_zone, hours, prep_minutes, closed_now, delivery_radius_km";

const toProfile = (r: RestaurantRow): RestaurantProfile => ({
  id: r.id,
  name: r.name,
  cuisine: r.cuisine,
  city: r.city,
  location: { lat: Number(r.lat), lng: Number(r.lng) },
  timeZone: r.time_zone,
  hours: r.hours,
  prepMinutes: Number(r.prep_minutes),
  closedNow: r.closed_now,
  deliveryRadiusKm: Number(r.delivery_radius_km),
});

interface StockRow {
  item_id: string;
  available: boolean;
  portions_left: number | null;
  unavailable_options: string[];
}

const toStock = (r: StockRow): ItemStock => ({
  itemId: r.item_id,
  available: r.available,
  portionsLeft: r.portions_left === null ? null : num(r.portions_left),
  unavailableOptions: r.unavailable_options,
});

/** The hours as a multirange literal of minutes since Monday 00:00 (`{[600,1320),[2040,2760)}`). */
const openMinutes = (hours: WeeklyHours): string => `{${weekIntervals(hours).map(([a, b]) => `[${a},${b})`).join(",")}}`;

/** A box around `radiusKm` of a point, in degrees; the whole longitude range near the poles or across ±180°. */
export function boundingBox(lat: number, lng: number, radiusKm: number): [number, number, number, number] {
  const dLat = radiusKm / 110;
  const cos = Math.cos((lat * Math.PI) / 180);
  const dLng = cos < 0.01 ? 360 : radiusKm / (110 * cos);
  const wraps = lng - dLng < -180 || lng + dLng > 180;
  return [wraps ? -180 : lng - dLng, lat - dLat, wraps ? 180 : lng + dLng, lat + dLat];
}

const dishNames = (doc: MenuDocument): string => doc.categories.flatMap((c) => c.items.map((i) => i.name)).join(" ");

/** Restaurants (profile, hours, text search vector), numbered menu versions, stock and portion reservations. */
export class PostgresCatalog implements Catalog {
  constructor(private readonly tx: SqlExecutor) {}

  async restaurant(id: string): Promise<RestaurantProfile | null> {
    const rows = await this.tx.query<RestaurantRow>(`SELECT ${PROFILE_COLUMNS} FROM restaurants WHERE id = $1`, [id]);
    return rows[0] ? toProfile(rows[0]) : null;
  }

  async saveRestaurant(r: RestaurantProfile): Promise<void> {
    await this.tx.query(
      `INSERT INTO restaurants (id, name, cuisine, city, lat, lng, time_zone, hours, open_minutes, prep_minutes, closed_now, delivery_radius_km)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::int4multirange, $10, $11, $12)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, cuisine = excluded.cuisine, city = excluded.city, lat = excluded.lat,
         lng = excluded.lng, time_zone = excluded.time_zone, hours = excluded.hours, open_minutes = excluded.open_minutes,
         prep_minutes = excluded.prep_minutes, closed_now = excluded.closed_now, delivery_radius_km = excluded.delivery_radius_km`,
      [r.id, r.name, r.cuisine, r.city, r.location.lat, r.location.lng, r.timeZone, json(r.hours), openMinutes(r.hours), r.prepMinutes, r.closedNow, r.deliveryRadiusKm],
    );
  }

  async search(search: CatalogSearch): Promise<CatalogHit[]> {
    const words = searchWords(search.query ?? "", MAX_QUERY_WORDS);
    const [west, south, east, north] = boundingBox(search.point.lat, search.point.lng, search.radiusKm);
    const params: unknown[] = [search.point.lat, search.point.lng, search.radiusKm, search.limit, west, south, east, north];
    const text = words.length === 0 ? null : `to_tsquery('simple', $${params.push(words.map((w) => `${w}:*`).join(" & "))})`;
    const openAt = search.openAt ? `$${params.push(search.openAt.toISOString())}::timestamptz` : null;
    // Filters on restaurant_search (no row-level security), so its GiST and GIN indexes can answer them.
    const rows = await this.tx.query<RestaurantRow>(
      `SELECT * FROM (
         SELECT ${PROFILE_COLUMNS.split(", ").map((c) => `r.${c}`).join(", ")}, distance_km($1, $2, s.lat, s.lng) AS distance_km,
           ${text ? `ts_rank(s.search, ${text})` : "0"} AS text_score
         FROM restaurant_search s JOIN restaurants r ON r.id = s.id
         WHERE point(s.lng, s.lat) <@ box(point($5, $6), point($7, $8))
           ${text ? `AND s.search @@ ${text}` : ""}
           ${openAt ? `AND NOT s.closed_now AND s.open_minutes @> minute_of_week(${openAt}, s.time_zone)` : ""}) AS hit
       WHERE distance_km <= $3
       ORDER BY ${text ? "text_score / (1 + distance_km) DESC" : "distance_km"}, distance_km, id
       LIMIT $4`,
      params,
    );
    return rows.map((r) => ({ ...toProfile(r), distanceKm: Number(r.distance_km), textScore: Number(r.text_score) }));
  }

  async publishMenu(restaurantId: string, document: MenuDocument, at: string): Promise<PublishedMenu> {
    // The row lock on the restaurant orders concurrent publications: each gets the next version.
    const bumped = await this.tx.query<{ menu_version: number }>(
      "UPDATE restaurants SET menu_version = menu_version + 1, dish_names = $2 WHERE id = $1 RETURNING menu_version",
      [restaurantId, dishNames(document)],
    );
    const version = bumped[0]?.menu_version;
    if (version === undefined) throw new Error(`no restaurant ${restaurantId} to publish a menu for (or not allowed to)`);
    await this.tx.query("INSERT INTO menu_versions (restaurant_id, version, document, published_at) VALUES ($1, $2, $3::jsonb, $4)", [
      restaurantId,
      version,
      json(document),
      at,
    ]);
    const optionsOff = publishedOptionSwitches(document);
    const entries = [...document.categories.flatMap((c) => c.items), ...document.combos].map((e) => ({
      id: e.id,
      available: e.available,
      unavailable_options: optionsOff.get(e.id) ?? [],
    }));
    await this.tx.query("DELETE FROM menu_stock WHERE restaurant_id = $1 AND NOT (item_id = ANY($2::text[]))", [restaurantId, entryIds(document)]);
    await this.tx.query(
      `INSERT INTO menu_stock (restaurant_id, item_id, available, unavailable_options)
       SELECT $1, e.id, e.available, array(SELECT jsonb_array_elements_text(e.unavailable_options))
       FROM jsonb_to_recordset($2::jsonb) AS e(id text, available boolean, unavailable_options jsonb)
       ON CONFLICT (restaurant_id, item_id) DO UPDATE
         SET available = excluded.available, unavailable_options = excluded.unavailable_options, revision = menu_stock.revision + 1`,
      [restaurantId, json(entries)],
    );
    return { restaurantId, version: num(version), document, publishedAt: at };
  }

  async menu(restaurantId: string, version?: number): Promise<PublishedMenu | null> {
    const rows = await this.tx.query<{ version: number; document: MenuDocument; published_at: unknown }>(
      `SELECT m.version, m.document, m.published_at FROM menu_versions m
       WHERE m.restaurant_id = $1 AND m.version = coalesce($2::integer, (SELECT menu_version FROM restaurants WHERE id = $1))`,
      [restaurantId, version ?? null],
    );
    const row = rows[0];
    return row ? { restaurantId, version: num(row.version), document: row.document, publishedAt: iso(row.published_at) } : null;
  }

  async menuStamp(restaurantId: string): Promise<MenuStamp | null> {
    const rows = await this.tx.query<{ version: number; revision: unknown }>(
      `SELECT menu_version AS version, (SELECT coalesce(sum(revision), 0) FROM menu_stock WHERE restaurant_id = $1) AS revision
       FROM restaurants WHERE id = $1 AND menu_version > 0`,
      [restaurantId],
    );
    const row = rows[0];
    return row ? { version: num(row.version), revision: num(row.revision) } : null;
  }

  async stock(restaurantId: string): Promise<ItemStock[]> {
    const rows = await this.tx.query<StockRow>(
      "SELECT item_id, available, portions_left, unavailable_options FROM menu_stock WHERE restaurant_id = $1 ORDER BY item_id",
      [restaurantId],
    );
    return rows.map(toStock);
  }

  async setStock(restaurantId: string, itemId: string, change: StockUpdate): Promise<ItemStock | null> {
    const switches = Object.entries(change.options ?? {});
    const rows = await this.tx.query<StockRow>(
      `UPDATE menu_stock SET available = coalesce($3, available),
         portions_left = CASE WHEN $4 THEN $5::integer ELSE portions_left END,
         unavailable_options = array(
           SELECT o FROM (SELECT unnest(unavailable_options || $6::text[]) EXCEPT SELECT unnest($7::text[])) AS off(o) ORDER BY o COLLATE "C"),
         revision = revision + 1
       WHERE restaurant_id = $1 AND item_id = $2 RETURNING item_id, available, portions_left, unavailable_options`,
      [
        restaurantId,
        itemId,
        change.available ?? null,
        change.portions !== undefined,
        change.portions ?? null,
        switches.filter(([, on]) => !on).map(([id]) => id),
        switches.filter(([, on]) => on).map(([id]) => id),
      ],
    );
    const row = rows[0];
    return row ? toStock(row) : null;
  }

  async reservePortions(reservation: { orderId: string; restaurantId: string; customerId: string; needs: readonly PortionNeed[] }): Promise<Reservation> {
    const { orderId, restaurantId, customerId, needs } = reservation;
    if (needs.length === 0) return { ok: true };
    // Lock the limited rows in item id order (callers sort `needs`), then read them as committed after the lock.
    const locked = await this.tx.query<{ item_id: string; portions_left: number }>(
      `SELECT item_id, portions_left FROM menu_stock
       WHERE restaurant_id = $1 AND item_id = ANY($2::text[]) AND portions_left IS NOT NULL ORDER BY item_id FOR UPDATE`,
      [restaurantId, needs.map((n) => n.itemId)],
    );
    const left = new Map(locked.map((r) => [r.item_id, num(r.portions_left)]));
    const limited = needs.filter((n) => left.has(n.itemId));
    const short = limited.find((n) => (left.get(n.itemId) ?? 0) < n.quantity);
    if (short) return { ok: false, soldOutItemId: short.itemId };
    if (limited.length === 0) return { ok: true };
    const ids = limited.map((n) => n.itemId);
    const quantities = limited.map((n) => n.quantity);
    await this.tx.query(
      `UPDATE menu_stock s SET portions_left = s.portions_left - n.quantity,
         revision = s.revision + CASE WHEN s.portions_left = n.quantity THEN 1 ELSE 0 END
       FROM unnest($2::text[], $3::integer[]) AS n(item_id, quantity)
       WHERE s.restaurant_id = $1 AND s.item_id = n.item_id`,
      [restaurantId, ids, quantities],
    );
    await this.tx.query(
      `INSERT INTO portion_reservations (order_id, restaurant_id, customer_id, item_id, quantity)
       SELECT $1, $2, $3, n.item_id, n.quantity FROM unnest($4::text[], $5::integer[]) AS n(item_id, quantity)`,
      [orderId, restaurantId, customerId, ids, quantities],
    );
    return { ok: true };
  }

  async releasePortions(orderId: string): Promise<void> {
    // Deleting the reservation is what gives portions back: a concurrent second release deletes nothing.
    await this.tx.query(
      `WITH gone AS (DELETE FROM portion_reservations WHERE order_id = $1 RETURNING restaurant_id, item_id, quantity)
       UPDATE menu_stock s SET portions_left = s.portions_left + g.quantity,
         revision = s.revision + CASE WHEN s.portions_left = 0 THEN 1 ELSE 0 END
       FROM gone g WHERE s.restaurant_id = g.restaurant_id AND s.item_id = g.item_id AND s.portions_left IS NOT NULL`,
      [orderId],
    );
  }
}
