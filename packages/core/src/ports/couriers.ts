import type { CourierCandidate, Vehicle } from "../domain/courier.js";
import type { LatLng } from "../domain/geo.js";
import type { Money } from "../domain/money.js";

/** A courier's profile and live state. */
export interface Courier {
  readonly id: string;
  readonly name: string;
  readonly city: string;
  readonly vehicle: Vehicle;
  /** Follows from `vehicle` (`VEHICLE_SPEED_KMH`); the `fastest` strategy ranks by it. */
  readonly speedKmh: number;
  readonly ratePerKm: Money;
  /** On shift, by the courier's own switch. */
  readonly available: boolean;
  /** False once an admin deactivated the courier: never offered orders, whatever `available` says. */
  readonly active: boolean;
  readonly position: LatLng | null;
  readonly positionAt: string | null;
}

/** Finds couriers who could take an order. */
export interface CourierLocator {
  /**
   * Active, available couriers with a known position within `radiusKm` of `point`, excluding `exclude`, with their
   * current load (orders assigned and not yet delivered). Order is unspecified: strategies rank.
   */
  nearby(search: { point: LatLng; radiusKm: number; exclude?: readonly string[]; limit: number }): Promise<CourierCandidate[]>;
}

/** Which couriers an admin lists; a page is ordered by id, `after` the last id of the previous page. */
export interface CourierFilter {
  readonly city?: string;
  readonly active?: boolean;
  readonly after?: string;
  readonly limit: number;
}

/** Couriers' profiles, availability and positions. A courier sees and changes only their own; admin and system all. */
export interface CourierDirectory {
  get(courierId: string): Promise<Courier | null>;
  /** Creates or replaces a courier profile, position included. */
  upsert(courier: Courier): Promise<void>;
  /** Couriers matching the filter, by id. */
  list(filter: CourierFilter): Promise<Courier[]>;
  /** Activates or deactivates a courier; false when there is no such courier. */
  setActive(courierId: string, active: boolean): Promise<boolean>;
  setAvailability(courierId: string, available: boolean): Promise<boolean>;
  setPosition(courierId: string, position: LatLng, at: string): Promise<boolean>;
}
