import type { CourierCandidate, Vehicle } from "../domain/courier.js";
import type { LatLng } from "../domain/geo.js";
import type { Money } from "../domain/money.js";
import type { NearPosition, NearestSearch } from "./courier-positions.js";

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

/** Positions kept in the database (the default `CourierPositions` store), and who of some couriers may take an order. */
export interface CourierLocator {
  /** Couriers whose stored position matches `search` (the `CourierPositions.nearest` contract), nearest first. */
  nearest(search: NearestSearch): Promise<NearPosition[]>;
  /**
   * Of the couriers found near a point, the active and available ones holding no open offer (a courier considers one
   * offer at a time), with their current load (orders assigned and neither delivered nor cancelled), each at the
   * position it was found at. Order is unspecified: strategies rank.
   */
  candidates(found: readonly NearPosition[]): Promise<CourierCandidate[]>;
}

/** What became of a position written to the directory. */
export type PositionWrite = "recorded" | "stale" | "unknown";

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
  /** Stores a position unless the stored one is newer (`stale`); `unknown` when there is no such courier. */
  setPosition(courierId: string, position: LatLng, at: string): Promise<PositionWrite>;
}
