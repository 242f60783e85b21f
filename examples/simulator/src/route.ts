import type { LatLng } from "./api-types.js";

const EARTH_RADIUS_KM = 6371;
const KM_PER_DEGREE_LAT = 111.2;
const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance between two points, in kilometres. */
export function distanceKm(a: LatLng, b: LatLng): number {
  const dLat = toRadians(b.lat - a.lat);
  const dLng = toRadians(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.lat)) * Math.cos(toRadians(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The point `stepKm` from `from` on the way to `to`, or `to` itself when it is closer than that. Interpolates
 * linearly in degrees: over a city's few kilometres the error against the great circle is negligible.
 */
export function stepToward(from: LatLng, to: LatLng, stepKm: number): LatLng {
  if (!(stepKm > 0)) throw new RangeError(`stepKm must be positive, got ${stepKm}`);
  const remaining = distanceKm(from, to);
  if (remaining <= stepKm) return { lat: to.lat, lng: to.lng };
  const share = stepKm / remaining;
  return { lat: from.lat + (to.lat - from.lat) * share, lng: from.lng + (to.lng - from.lng) * share };
}

/**
 * The positions a courier reports while riding from `from` to `to`, one per tick of (about) `stepKm` at most; the last is
 * exactly `to`. Empty when already there.
 */
export function planRoute(from: LatLng, to: LatLng, stepKm: number): LatLng[] {
  const total = distanceKm(from, to);
  if (total === 0) return [];
  const ticks = Math.ceil(total / stepKm);
  const route: LatLng[] = [];
  for (let i = 1; i < ticks; i += 1) {
    route.push({ lat: from.lat + ((to.lat - from.lat) * i) / ticks, lng: from.lng + ((to.lng - from.lng) * i) / ticks });
  }
  route.push({ lat: to.lat, lng: to.lng });
  return route;
}

/** A point uniformly spread over the disc of `radiusKm` around `centre` (for homes and delivery addresses). */
export function pointNear(centre: LatLng, radiusKm: number, random: () => number): LatLng {
  const distance = radiusKm * Math.sqrt(random());
  const bearing = 2 * Math.PI * random();
  const kmPerDegreeLng = KM_PER_DEGREE_LAT * Math.cos(toRadians(centre.lat));
  return {
    lat: round6(centre.lat + (distance * Math.cos(bearing)) / KM_PER_DEGREE_LAT),
    lng: round6(centre.lng + (distance * Math.sin(bearing)) / kmPerDegreeLng),
  };
}

/** Six decimals is ~10 cm: enough for a courier, and short in the output. */
const round6 = (value: number) => Math.round(value * 1e6) / 1e6;
