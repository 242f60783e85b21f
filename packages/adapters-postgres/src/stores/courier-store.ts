import type {
  Courier,
  CourierCandidate,
  CourierDirectory,
  CourierFilter,
  CourierLocator,
  LatLng,
  Money,
  NearPosition,
  NearestSearch,
  PositionWrite,
  Vehicle,
} from "@tiffin/core";
import { boundingBox } from "./catalog-store.js";
import type { SqlExecutor } from "../sql/database.js";
import { iso, json } from "./rows.js";

interface CourierRow {
  id: string;
  name: string;
  city: string;
  vehicle: Vehicle;
  active: boolean;
  speed_kmh: number;
  rate_per_km: Money;
  available: boolean;
  lat: number | null;
  lng: number | null;
  at: unknown;
  active_orders?: unknown;
}

const SELECT_COURIER = `SELECT c.*, l.lat, l.lng, l.at FROM couriers c LEFT JOIN courier_locations l ON l.courier_id = c.id`;

const toCourier = (r: CourierRow): Courier => {
  const position = r.lat === null || r.lng === null ? null : { lat: Number(r.lat), lng: Number(r.lng) };
  return {
    id: r.id,
    name: r.name,
    city: r.city,
    vehicle: r.vehicle,
    speedKmh: Number(r.speed_kmh),
    ratePerKm: r.rate_per_km,
    available: r.available,
    active: r.active,
    position,
    positionAt: position ? iso(r.at) : null,
  };
};

/** Couriers' profiles, availability and last positions, and the search for candidates near a point. */
export class PostgresCouriers implements CourierDirectory, CourierLocator {
  constructor(private readonly tx: SqlExecutor) {}

  async get(courierId: string): Promise<Courier | null> {
    const rows = await this.tx.query<CourierRow>(`${SELECT_COURIER} WHERE c.id = $1`, [courierId]);
    return rows[0] ? toCourier(rows[0]) : null;
  }

  async list(filter: CourierFilter): Promise<Courier[]> {
    const rows = await this.tx.query<CourierRow>(
      `${SELECT_COURIER} WHERE ($1::text IS NULL OR c.city = $1) AND ($2::boolean IS NULL OR c.active = $2) AND ($3::text IS NULL OR c.id COLLATE "C" > $3)
       ORDER BY c.id COLLATE "C" LIMIT $4`,
      [filter.city ?? null, filter.active ?? null, filter.after ?? null, filter.limit],
    );
    return rows.map(toCourier);
  }

  async setActive(courierId: string, active: boolean): Promise<boolean> {
    const rows = await this.tx.query("UPDATE couriers SET active = $2 WHERE id = $1 RETURNING 1", [courierId, active]);
    return rows.length === 1;
  }

  async upsert(courier: Courier): Promise<void> {
    await this.tx.query(
      `INSERT INTO couriers (id, name, city, vehicle, speed_kmh, rate_per_km, available, active) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, city = excluded.city, vehicle = excluded.vehicle, speed_kmh = excluded.speed_kmh,
         rate_per_km = excluded.rate_per_km, available = excluded.available, active = excluded.active`,
      [courier.id, courier.name, courier.city, courier.vehicle, courier.speedKmh, json(courier.ratePerKm), courier.available, courier.active],
    );
    if (courier.position) {
      await this.savePosition(courier.id, courier.position, courier.positionAt ?? new Date().toISOString());
    } else {
      await this.tx.query("DELETE FROM courier_locations WHERE courier_id = $1", [courier.id]);
    }
  }

  async setAvailability(courierId: string, available: boolean): Promise<boolean> {
    const rows = await this.tx.query("UPDATE couriers SET available = $2 WHERE id = $1 RETURNING 1", [courierId, available]);
    return rows.length === 1;
  }

  async setPosition(courierId: string, position: LatLng, at: string): Promise<PositionWrite> {
    const exists = await this.tx.query("SELECT 1 FROM couriers WHERE id = $1", [courierId]);
    if (exists.length === 0) return "unknown";
    return (await this.savePosition(courierId, position, at)) ? "recorded" : "stale";
  }

  /** Upserts the position unless the stored one is newer; false when it was older. */
  private async savePosition(courierId: string, position: LatLng, at: string): Promise<boolean> {
    const saved = await this.tx.query(
      `INSERT INTO courier_locations (courier_id, lat, lng, at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (courier_id) DO UPDATE SET lat = excluded.lat, lng = excluded.lng, at = excluded.at
       WHERE courier_locations.at <= excluded.at RETURNING 1`,
      [courierId, position.lat, position.lng, at],
    );
    return saved.length === 1;
  }

  async nearest(search: NearestSearch): Promise<NearPosition[]> {
    const [minLng, minLat, maxLng, maxLat] = boundingBox(search.point.lat, search.point.lng, search.radiusKm);
    const rows = await this.tx.query<{ courier_id: string; lat: number; lng: number; distance: number }>(
      `SELECT l.courier_id, l.lat, l.lng, distance_km($1, $2, l.lat, l.lng) AS distance
       FROM courier_locations l JOIN couriers c ON c.id = l.courier_id
       WHERE l.pos <@ box(point($3, $4), point($5, $6)) AND c.city = $7 AND l.at >= $8 AND NOT (l.courier_id = ANY($9::text[]))
         AND distance_km($1, $2, l.lat, l.lng) <= $10
       ORDER BY distance, l.courier_id COLLATE "C" LIMIT $11`,
      [search.point.lat, search.point.lng, minLng, minLat, maxLng, maxLat, search.city, search.freshSince, [...(search.exclude ?? [])], search.radiusKm, search.limit],
    );
    return rows.map((r) => ({ courierId: r.courier_id, position: { lat: Number(r.lat), lng: Number(r.lng) }, distanceKm: Number(r.distance) }));
  }

  async candidates(found: readonly NearPosition[]): Promise<CourierCandidate[]> {
    if (found.length === 0) return [];
    const rows = await this.tx.query<{ id: string; speed_kmh: number; rate_per_km: Money; active_orders: unknown }>(
      `SELECT c.id, c.speed_kmh, c.rate_per_km,
         (SELECT count(*) FROM orders o WHERE o.courier_id = c.id AND o.status NOT IN ('delivered', 'cancelled')) AS active_orders
       FROM couriers c WHERE c.id = ANY($1::text[]) AND c.available AND c.active
         AND NOT EXISTS (SELECT 1 FROM offers f WHERE f.courier_id = c.id AND f.status = 'open')`,
      [found.map((f) => f.courierId)],
    );
    const eligible = new Map(rows.map((r) => [r.id, r]));
    return found.flatMap(({ courierId, position }) => {
      const r = eligible.get(courierId);
      return r ? [{ courierId, position, speedKmh: Number(r.speed_kmh), activeOrders: Number(r.active_orders), ratePerKm: r.rate_per_km }] : [];
    });
  }
}
