import type { CourierCandidate } from "../domain/courier.js";
import type { LatLng } from "../domain/geo.js";
import type { Money } from "../domain/money.js";

/** A courier's profile and live state. */
export interface Courier {
  readonly id: string;
  readonly name: string;
  readonly city: string;
  readonly speedKmh: number;
  readonly ratePerKm: Money;
  readonly available: boolean;
  readonly position: LatLng | null;
  readonly positionAt: string | null;
}

/** Finds couriers who could take an order. */
export interface CourierLocator {
  /**
   * Available couriers with a known position within `radiusKm` of `point`, excluding `exclude`, with their
   * current load (orders assigned and not yet delivered). Order is unspecified: strategies rank.
   */
  nearby(search: { point: LatLng; radiusKm: number; exclude?: readonly string[]; limit: number }): Promise<CourierCandidate[]>;
}

/** Couriers' profiles, availability and positions. */
export interface CourierDirectory {
  get(courierId: string): Promise<Courier | null>;
  /** Creates or replaces a courier profile. */
  upsert(courier: Courier): Promise<void>;
  setAvailability(courierId: string, available: boolean): Promise<boolean>;
  setPosition(courierId: string, position: LatLng, at: string): Promise<boolean>;
}
